// rope_backward: the inverse (transposed) rotation of rope_forward, angle as there:
//   dinp[i] = dy[i] cos + dy[i+HS/2] sin,  dinp[i+HS/2] = dy[i+HS/2] cos - dy[i] sin
// Activation gradient: OVERWRITTEN. IN_PLACE: dinp is dout (dy read from dinp, dummy at binding 1).
// Bindings: 0 dinp (T, NH, HS) | 1 dout (T, NH, HS) | 2 positions (T) i32 | 3 invFreq (HS/2) f32 | 4 params {T, NH, HS}
override WG: u32 = 256u;
override IN_PLACE: bool = false;

struct Params { T: u32, NH: u32, HS: u32 }
@group(0) @binding(0) var<storage, read_write> dinp: array<f32>;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> positions: array<i32>;
@group(0) @binding(3) var<storage, read> invFreq: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flat_index(gid, nwg, WG);
  if (idx >= p.T * p.NH * (p.HS / 2u)) { return; }
  let q = rope_pair(idx, p.NH, p.HS);
  var x: vec2<f32>;
  if (IN_PLACE) { x = vec2<f32>(dinp[q.lo], dinp[q.hi]); }
  else { x = vec2<f32>(dout[q.lo], dout[q.hi]); }
  let y = rope_rotate(x, f32(positions[q.t]) * invFreq[q.i], true);
  dinp[q.lo] = y.x;
  dinp[q.hi] = y.y;
}
