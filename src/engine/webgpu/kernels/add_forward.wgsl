// add_forward: out = a + b, elementwise over n values. out may alias a (IN_PLACE: a is then read
// from out and a 16-byte dummy is bound at binding 1, because WebGPU forbids binding one buffer as
// both read and read_write storage in a dispatch).
// Bindings: 0 out (n) f32 | 1 a (n) f32 | 2 b (n) f32 | 3 params {n}
override WG: u32 = 256u;
override IN_PLACE: bool = false;

struct Params { n: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  var x: f32;
  if (IN_PLACE) { x = out[i]; } else { x = a[i]; }
  out[i] = x + b[i];
}
