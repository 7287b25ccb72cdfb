// geglu_forward: out = gelu_tanh(gate) * up elementwise, gelu_tanh(g) = g * sigmoid(2u) (gelu_sigmoid in
// common.wgsl, equal to 0.5 g (1 + tanh(u)) and finite for any g).
// Bindings: 0 out (N, H) f32 | 1 gate (N, H) f32 | 2 up (N, H) f32 | 3 params {n = N*H}
override WG: u32 = 256u;

struct Params { n: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> gate: array<f32>;
@group(0) @binding(2) var<storage, read> up: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  let g = gate[i];
  out[i] = g * gelu_sigmoid(g) * up[i];
}
