// attention_forward_serial: attention_forward for short contexts (the launcher picks it when Tk is at
// most SERIAL_MAX_TK): one invocation per (query t, head h) computes the whole row serially — scores,
// softmax, probs·v — with no workgroup memory and no barriers, which is what software rasterizers
// (SwiftShader) run fastest. Same math, bindings and saved probs (0 outside the causal window).
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

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = flat_index(gid, nwg, WG); // t * NH + h
  if (row >= p.T * p.NH) { return; }
  let t = row / p.NH;
  let h = row % p.NH;
  let kvh = h / (p.NH / p.NKV);
  let nk = p.past + t + 1u; // query t sees keys lo..past+t
  let lo = attention_first_key(p.past + t, p.window);
  let qoff = row * p.HS;
  let prow = (h * p.T + t) * p.Tk;
  let scale = inverseSqrt(f32(p.HS));
  var mx = NEG_BIG;
  for (var j = 0u; j < lo; j++) { probs[prow + j] = 0.0; }
  for (var j = lo; j < nk; j++) {
    let koff = (j * p.NKV + kvh) * p.HS;
    var s = 0.0;
    for (var d = 0u; d < p.HS; d++) { s = fma(q[qoff + d], kCache[koff + d], s); }
    s *= scale;
    probs[prow + j] = s;
    mx = max(mx, s);
  }
  for (var j = nk; j < p.Tk; j++) { probs[prow + j] = 0.0; }
  var sum = 0.0;
  for (var j = lo; j < nk; j++) {
    let e = exp(probs[prow + j] - mx);
    probs[prow + j] = e;
    sum += e;
  }
  let inv = 1.0 / sum;
  for (var j = lo; j < nk; j++) { probs[prow + j] *= inv; }
  for (var d = 0u; d < p.HS; d++) {
    var acc = 0.0;
    for (var j = lo; j < nk; j++) { acc = fma(probs[prow + j], vCache[(j * p.NKV + kvh) * p.HS + d], acc); }
    out[qoff + d] = acc;
  }
}
