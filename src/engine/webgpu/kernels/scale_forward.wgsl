// scale_forward: out = inp * s, elementwise over n values, s an f32. out may alias inp (IN_PLACE: inp
// is then read from out and a 16-byte dummy is bound at binding 1; WebGPU forbids binding one buffer
// as both read and read_write storage in a dispatch).
// Bindings: 0 out (n) f32 | 1 inp (n) f32 | 2 params {n, s}
override WG: u32 = 256u;
override IN_PLACE: bool = false;

struct Params { n: u32, s: f32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> inp: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  var x: f32;
  if (IN_PLACE) { x = out[i]; } else { x = inp[i]; }
  out[i] = x * p.s;
}
