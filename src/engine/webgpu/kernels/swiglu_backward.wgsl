// swiglu_backward: with s = sigmoid(gate), out = gate * s * up:
//   dgate = dout * up * s * (1 + gate * (1 - s)),  dup = dout * gate * s.
// Activation gradients: both OVERWRITTEN.
// Bindings: 0 dgate (N, H) | 1 dup (N, H) | 2 dout (N, H) | 3 gate (N, H) | 4 up (N, H) | 5 params {n = N*H}
override WG: u32 = 256u;

struct Params { n: u32 }
@group(0) @binding(0) var<storage, read_write> dgate: array<f32>;
@group(0) @binding(1) var<storage, read_write> dup: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> gate: array<f32>;
@group(0) @binding(4) var<storage, read> up: array<f32>;
@group(0) @binding(5) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  let g = gate[i];
  let s = 1.0 / (1.0 + exp(-g));
  let dy = dout[i];
  dgate[i] = dy * up[i] * s * (1.0 + g * (1.0 - s));
  dup[i] = dy * g * s;
}
