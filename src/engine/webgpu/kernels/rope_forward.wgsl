// rope_forward: HF "rotate_half" rotary embedding. For head dim pair (i, i + HS/2) of token t:
//   angle = f32(positions[t]) * invFreq[i]  (one f32 product, as transformers' inv_freq @ position_ids)
//   out[i] = x[i] cos - x[i+HS/2] sin,  out[i+HS/2] = x[i+HS/2] cos + x[i] sin
// One invocation per (t, head, i < HS/2). IN_PLACE: out is inp (x read from out, dummy at binding 1).
// Bindings: 0 out (T, NH, HS) | 1 inp (T, NH, HS) | 2 positions (T) i32 | 3 invFreq (HS/2) f32 | 4 params {T, NH, HS}
override WG: u32 = 256u;
override IN_PLACE: bool = false;

struct Params { T: u32, NH: u32, HS: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> inp: array<f32>;
@group(0) @binding(2) var<storage, read> positions: array<i32>;
@group(0) @binding(3) var<storage, read> invFreq: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flat_index(gid, nwg, WG);
  if (idx >= p.T * p.NH * (p.HS / 2u)) { return; }
  let q = rope_pair(idx, p.NH, p.HS);
  var x: vec2<f32>;
  if (IN_PLACE) { x = vec2<f32>(out[q.lo], out[q.hi]); }
  else { x = vec2<f32>(inp[q.lo], inp[q.hi]); }
  let y = rope_rotate(x, f32(positions[q.t]) * invFreq[q.i], false);
  out[q.lo] = y.x;
  out[q.hi] = y.y;
}
