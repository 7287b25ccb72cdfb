// rope_backward: the inverse (transposed) rotation of rope_forward, angle as there:
//   dinp[i] = dy[i] cos + dy[i+HS/2] sin,  dinp[i+HS/2] = dy[i+HS/2] cos - dy[i] sin
// Activation gradient: OVERWRITTEN. IN_PLACE: dinp is dout (dy read from dinp, dummy at binding 1).
// Bindings: 0 dinp (T, NH, HS) | 1 dout (T, NH, HS) | 2 positions (T) i32 | 3 invFreq (HS/2) | 4 params {T, NH, HS}
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
  let half = p.HS / 2u;
  let idx = flat_index(gid, nwg, WG);
  if (idx >= p.T * p.NH * half) { return; }
  let i = idx % half;
  let row = idx / half;
  let t = row / p.NH;
  let sc = sincos(f32(positions[t]) * invFreq[i]);
  let s = sc.x;
  let c = sc.y;
  let base = row * p.HS;
  var y1: f32;
  var y2: f32;
  if (IN_PLACE) { y1 = dinp[base + i]; y2 = dinp[base + i + half]; }
  else { y1 = dout[base + i]; y2 = dout[base + i + half]; }
  dinp[base + i] = y1 * c + y2 * s;
  dinp[base + i + half] = y2 * c - y1 * s;
}
