// geglu_backward: with s = sigmoid(2u), u = sqrt(2/pi) (g + 0.044715 g^3), out = g * s * up:
//   d gelu/dg = s + g * s (1 - s) * 2 du/dg,  du/dg = sqrt(2/pi) (1 + 3 * 0.044715 g^2)
//   dgate = dout * up * d gelu/dg,  dup = dout * g * s.
// (Equal to the tanh form 0.5 (1 + t) + 0.5 g (1 - t^2) du/dg with t = 2s - 1; s (1 - s) underflows to
// 0 for large |g|, never NaN.) Activation gradients: both OVERWRITTEN.
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
  let s = gelu_sigmoid(g);
  let du = GELU_K * (1.0 + 3.0 * GELU_A * g * g);
  let dy = dout[i];
  dgate[i] = dy * up[i] * (s + g * s * (1.0 - s) * 2.0 * du);
  dup[i] = dy * g * s;
}
