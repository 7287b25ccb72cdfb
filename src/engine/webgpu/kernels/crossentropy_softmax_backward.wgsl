// crossentropy_softmax_backward: dlogits[r, v] = (probs[r, v] - [v == target[r]]) / count, and 0 for
// rows whose target is -1 (dloss = 1 per scored row, mean over `count` scored rows).
// Activation gradient: OVERWRITTEN.
// Bindings: 0 dlogits (N, V) | 1 probs (N, V) | 2 targets (N) i32 | 3 params {N, V, invCount}
override WG: u32 = 256u;

struct Params { N: u32, V: u32, invCount: f32 }
@group(0) @binding(0) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(1) var<storage, read> probs: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<i32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.N * p.V) { return; }
  let t = targets[i / p.V];
  var g = 0.0;
  if (t >= 0) { g = (probs[i] - select(0.0, 1.0, u32(t) == i % p.V)) * p.invCount; }
  dlogits[i] = g;
}
