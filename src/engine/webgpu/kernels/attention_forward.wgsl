// attention_forward: grouped-query causal attention of T new queries against the KV cache. One
// workgroup per (head h, query t); kv head = h / (NH / NKV) (HF repeat_kv); query t sees keys
// lo..past+t, lo = attention_first_key (0 without a window). scores = q·k / sqrt(HS); probs = softmax
// (saved, 0 outside lo..past+t); out = probs·v.
// Bindings: 0 out (T, NH, HS) | 1 probs (NH, T, Tk) | 2 q (T, NH, HS) | 3 kCache (maxT, NKV, HS) |
//           4 vCache (maxT, NKV, HS) | 5 params {T, NH, NKV, HS, Tk, past, window}
override WG: u32 = 64u;

struct Params { T: u32, NH: u32, NKV: u32, HS: u32, Tk: u32, past: u32, window: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read_write> probs: array<f32>;
@group(0) @binding(2) var<storage, read> q: array<f32>;
@group(0) @binding(3) var<storage, read> kCache: array<f32>;
@group(0) @binding(4) var<storage, read> vCache: array<f32>;
@group(0) @binding(5) var<uniform> p: Params;

var<workgroup> qs: array<f32, 256>; // this query's row; HS <= 256 (checked by the launcher)

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let h = wid.x;
  let t = wid.y;
  if (h >= p.NH || t >= p.T) { return; } // workgroup-uniform
  let kvh = h / (p.NH / p.NKV);
  let nk = p.past + t + 1u;
  let lo = attention_first_key(p.past + t, p.window);
  let qoff = (t * p.NH + h) * p.HS;
  let prow = (h * p.T + t) * p.Tk;
  let scale = inverseSqrt(f32(p.HS));
  for (var d = lid.x; d < p.HS; d += WG) { qs[d] = q[qoff + d]; }
  workgroupBarrier();
  // Scores: each invocation owns keys j ≡ lid (mod WG) through the three passes, so no barrier
  // is needed between them; the row max and sum go through workgroup reductions.
  var mx = NEG_BIG;
  for (var j = lid.x; j < p.Tk; j += WG) {
    var s = 0.0;
    if (j >= lo && j < nk) {
      let koff = (j * p.NKV + kvh) * p.HS;
      for (var d = 0u; d < p.HS; d++) { s = fma(qs[d], kCache[koff + d], s); }
      s *= scale;
      mx = max(mx, s);
    }
    probs[prow + j] = s;
  }
  mx = wg_max(mx, lid.x, WG);
  var sum = 0.0;
  for (var j = lid.x; j < nk; j += WG) {
    if (j >= lo) {
      let e = exp(probs[prow + j] - mx);
      probs[prow + j] = e;
      sum += e;
    }
  }
  let inv = 1.0 / wg_sum(sum, lid.x, WG);
  for (var j = lid.x; j < nk; j += WG) {
    if (j >= lo) { probs[prow + j] *= inv; }
  }
  storageBarrier(); // every invocation now reads the whole probs row
  for (var d = lid.x; d < p.HS; d += WG) {
    var acc = 0.0;
    for (var j = lo; j < nk; j++) { acc = fma(probs[prow + j], vCache[(j * p.NKV + kvh) * p.HS + d], acc); }
    out[qoff + d] = acc;
  }
}
