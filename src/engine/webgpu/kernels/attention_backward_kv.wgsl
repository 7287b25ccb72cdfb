// attention_backward_kv (dk and dv), no past (Tk = T). One invocation per (key j, kv head, d),
// summing over the NH/NKV query heads that share the kv head and the queries t that see key j
// (j <= t < j + window; every t >= j when window is 0):
//   dk[j,kvh,d] = sum_h sum_t dscores[h,t,j] q[t,h,d] / sqrt(HS);  dv[j,kvh,d] = sum_h sum_t p[h,t,j] dout[t,h,d]
// Activation gradients: both OVERWRITTEN.
// Bindings: 0 dk (T, NKV, HS) | 1 dv (T, NKV, HS) | 2 dscores (NH, T, T) | 3 dout (T, NH, HS) |
//           4 q (T, NH, HS) | 5 probs (NH, T, T) | 6 params {T, NH, NKV, HS, window}
override WG: u32 = 64u;

struct Params { T: u32, NH: u32, NKV: u32, HS: u32, window: u32 }
@group(0) @binding(0) var<storage, read_write> dk: array<f32>;
@group(0) @binding(1) var<storage, read_write> dv: array<f32>;
@group(0) @binding(2) var<storage, read> dscores: array<f32>;
@group(0) @binding(3) var<storage, read> dout: array<f32>;
@group(0) @binding(4) var<storage, read> q: array<f32>;
@group(0) @binding(5) var<storage, read> probs: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.T * p.NKV * p.HS) { return; }
  let d = i % p.HS;
  let kvh = (i / p.HS) % p.NKV;
  let j = i / (p.HS * p.NKV);
  let group = p.NH / p.NKV;
  let tEnd = select(p.T, min(p.T, j + p.window), p.window > 0u);
  var gk = 0.0;
  var gv = 0.0;
  for (var g = 0u; g < group; g++) {
    let h = kvh * group + g;
    for (var t = j; t < tEnd; t++) {
      let s = (h * p.T + t) * p.T + j;
      let off = (t * p.NH + h) * p.HS + d;
      gk = fma(dscores[s], q[off], gk);
      gv = fma(probs[s], dout[off], gv);
    }
  }
  dk[i] = gk * inverseSqrt(f32(p.HS));
  dv[i] = gv;
}
