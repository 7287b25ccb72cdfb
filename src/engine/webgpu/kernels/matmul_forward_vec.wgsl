// matmul_forward_vec (decode path, few rows): out[n, o] = inp[n, :] · weight[o, :] + bias[o].
// Four outputs per invocation (one load of inp serves four weight rows): no barriers and no workgroup
// memory, the cheapest shape on software rasterizers (SwiftShader, C=128, OC=2048: 1.8× faster than one
// output per invocation) and fine on GPUs where C is small enough for each row to stream through L1.
// Bindings: 0 out (N, OC) | 1 inp (N, C) | 2 weight (OC, C) words | 3 scales (OC, C/32) | 4 bias (OC) |
//           5 params {N, C, OC, ldo, col}: out's row stride OCout and first column (an LM head block)
override DTYPE: u32 = 0u;
override HAS_BIAS: bool = false;
override WG: u32 = 64u;
override ALIGNED4: bool = false;

struct Params { N: u32, C: u32, OC: u32, ldo: u32, col: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> inp: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<u32>;
@group(0) @binding(3) var<storage, read> scales: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
@group(0) @binding(5) var<uniform> p: Params;

fn load_w(i: u32) -> f32 {
  return weight_decode(DTYPE, weight[weight_word(DTYPE, i)], i, scales[scale_index(DTYPE, i)]);
}

// Elements i..i+3 with i % 4 == 0, decoding each word once: 4 f32 words, 2 f16 words, 1 q8 word,
// half a q4 word. Four aligned elements never straddle a quantization block.
fn load_w4(i: u32) -> vec4<f32> {
  switch DTYPE {
    case DT_F16: {
      return vec4<f32>(unpack2x16float(weight[i >> 1u]), unpack2x16float(weight[(i >> 1u) + 1u]));
    }
    case DT_Q8: {
      let w = bitcast<i32>(weight[i >> 2u]);
      let q = vec4<i32>(extractBits(w, 0u, 8u), extractBits(w, 8u, 8u), extractBits(w, 16u, 8u), extractBits(w, 24u, 8u));
      return vec4<f32>(q) * scales[i / QUANT_BLOCK];
    }
    case DT_Q4: {
      let w = bitcast<i32>(weight[i >> 3u]);
      let b = (i & 4u) * 4u; // low or high half of the word
      let q = vec4<i32>(extractBits(w, b, 4u), extractBits(w, b + 4u, 4u), extractBits(w, b + 8u, 4u), extractBits(w, b + 12u, 4u));
      return vec4<f32>(q) * scales[i / QUANT_BLOCK];
    }
    default: {
      return bitcast<vec4<f32>>(vec4<u32>(weight[i], weight[i + 1u], weight[i + 2u], weight[i + 3u]));
    }
  }
}

fn hsum(v: vec4<f32>) -> f32 { return (v.x + v.y) + (v.z + v.w); }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o0 = flat_index(gid, nwg, WG) * 4u;
  let n = gid.z;
  if (o0 >= p.OC) { return; }
  // Four consecutive outputs per invocation share every load of inp. When OC % 4 != 0 the rows past
  // the end re-read the last row and are not written.
  let o1 = min(o0 + 1u, p.OC - 1u);
  let o2 = min(o0 + 2u, p.OC - 1u);
  let o3 = min(o0 + 3u, p.OC - 1u);
  let irow = n * p.C;
  // Per output, four lanes of partial sums over 4-element steps: one decode per weight word.
  // Rows start 4-aligned only when C % 4 == 0 (ALIGNED4); otherwise everything takes the tail loop.
  var s0 = vec4<f32>(0.0);
  var s1 = vec4<f32>(0.0);
  var s2 = vec4<f32>(0.0);
  var s3 = vec4<f32>(0.0);
  var c = 0u;
  if (ALIGNED4) {
    for (; c + 4u <= p.C; c += 4u) {
      let x = vec4<f32>(inp[irow + c], inp[irow + c + 1u], inp[irow + c + 2u], inp[irow + c + 3u]);
      s0 = fma(x, load_w4(o0 * p.C + c), s0);
      s1 = fma(x, load_w4(o1 * p.C + c), s1);
      s2 = fma(x, load_w4(o2 * p.C + c), s2);
      s3 = fma(x, load_w4(o3 * p.C + c), s3);
    }
  }
  var s = vec4<f32>(hsum(s0), hsum(s1), hsum(s2), hsum(s3));
  for (; c < p.C; c++) {
    let w = vec4<f32>(load_w(o0 * p.C + c), load_w(o1 * p.C + c), load_w(o2 * p.C + c), load_w(o3 * p.C + c));
    s = fma(vec4<f32>(inp[irow + c]), w, s);
  }
  if (HAS_BIAS) { s += vec4<f32>(bias[o0], bias[o1], bias[o2], bias[o3]); }
  let orow = n * p.ldo + p.col;
  out[orow + o0] = s.x;
  if (o0 + 1u < p.OC) { out[orow + o0 + 1u] = s.y; }
  if (o0 + 2u < p.OC) { out[orow + o0 + 2u] = s.z; }
  if (o0 + 3u < p.OC) { out[orow + o0 + 3u] = s.w; }
}
