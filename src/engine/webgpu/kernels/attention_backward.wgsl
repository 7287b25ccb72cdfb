// attention_backward (dq and dscores), no past (Tk = T). One workgroup per (head h, query t), over the
// keys lo..t it sees (lo = attention_first_key(t, window)):
//   dp[j] = dout[t,h]·v[j,kvh];  dscores[h,t,j] = p[j] (dp[j] - sum_j p[j] dp[j])  (0 outside lo..t)
//   dq[t,h] = sum_j dscores[h,t,j] k[j,kvh] / sqrt(HS)
// dscores is scratch read by attention_backward_kv.wgsl. dq: activation gradient, OVERWRITTEN.
// Bindings: 0 dq (T, NH, HS) | 1 dscores (NH, T, T) | 2 dout (T, NH, HS) | 3 k (>=T, NKV, HS) |
//           4 v (>=T, NKV, HS) | 5 probs (NH, T, T) | 6 params {T, NH, NKV, HS, window}
override WG: u32 = 64u;

struct Params { T: u32, NH: u32, NKV: u32, HS: u32, window: u32 }
@group(0) @binding(0) var<storage, read_write> dq: array<f32>;
@group(0) @binding(1) var<storage, read_write> dscores: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> k: array<f32>;
@group(0) @binding(4) var<storage, read> v: array<f32>;
@group(0) @binding(5) var<storage, read> probs: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

var<workgroup> dys: array<f32, 256>; // dout row of (t, h); HS <= 256

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let h = wid.x;
  let t = wid.y;
  if (h >= p.NH || t >= p.T) { return; } // workgroup-uniform
  let kvh = h / (p.NH / p.NKV);
  let off = (t * p.NH + h) * p.HS;
  let row = (h * p.T + t) * p.T;
  let lo = attention_first_key(t, p.window);
  for (var d = lid.x; d < p.HS; d += WG) { dys[d] = dout[off + d]; }
  workgroupBarrier();
  var pdp = 0.0;
  // Each invocation owns keys j ≡ lid (mod WG) in both passes over dscores: no barrier between them.
  for (var j = lid.x; j <= t; j += WG) {
    if (j < lo) { continue; }
    let voff = (j * p.NKV + kvh) * p.HS;
    var dp = 0.0;
    for (var d = 0u; d < p.HS; d++) { dp = fma(dys[d], v[voff + d], dp); }
    dscores[row + j] = dp;
    pdp += probs[row + j] * dp;
  }
  let total = wg_sum(pdp, lid.x, WG);
  for (var j = lid.x; j < p.T; j += WG) {
    var ds = 0.0;
    if (j >= lo && j <= t) { ds = probs[row + j] * (dscores[row + j] - total); }
    dscores[row + j] = ds;
  }
  storageBarrier();
  let scale = inverseSqrt(f32(p.HS));
  for (var d = lid.x; d < p.HS; d += WG) {
    var acc = 0.0;
    for (var j = lo; j <= t; j++) { acc = fma(dscores[row + j], k[(j * p.NKV + kvh) * p.HS + d], acc); }
    dq[off + d] = acc * scale;
  }
}
