// matmul_forward (tiled): out (N, OC) = inp (N, C) · weightᵀ + bias, weight in HF Linear layout
// (OC, C) stored as u32 words of DTYPE and decoded while staging (q8/q4 times their block scale).
// Each 16×16 workgroup owns a 64×64 output tile, 4×4 outputs per invocation, K staged 16 at a time.
// Bindings: 0 out (N, OC) | 1 inp (N, C) | 2 weight (OC, C) words | 3 scales (OC, C/32) | 4 bias (OC) | 5 params {N, C, OC}
override DTYPE: u32 = 0u;
override HAS_BIAS: bool = false;
const BM: u32 = 64u; // tile rows (of inp / out)
const BN: u32 = 64u; // tile columns (rows of weight)
const BK: u32 = 16u;

struct Params { N: u32, C: u32, OC: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> inp: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<u32>;
@group(0) @binding(3) var<storage, read> scales: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
@group(0) @binding(5) var<uniform> p: Params;

var<workgroup> As: array<f32, 1024>; // [k][m], BK * BM
var<workgroup> Bs: array<f32, 1024>; // [k][n], BK * BN

fn load_w(i: u32) -> f32 {
  return weight_decode(DTYPE, weight[weight_word(DTYPE, i)], i, scales[scale_index(DTYPE, i)]);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row0 = wid.y * BM;
  let col0 = wid.x * BN;
  let tid = lid.y * 16u + lid.x;
  // Row i of this invocation's 4×4 block in acc_i (vectors, not an indexed array: stays in registers).
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < p.C; k0 += BK) {
    // Stage: element e → (row m = e / BK, k = e % BK), so neighbours read neighbouring k.
    for (var e = tid; e < BM * BK; e += 256u) {
      let m = e / BK;
      let k = e % BK;
      let kk = k0 + k;
      var a = 0.0;
      if (row0 + m < p.N && kk < p.C) { a = inp[(row0 + m) * p.C + kk]; }
      As[k * BM + m] = a;
      var b = 0.0;
      if (col0 + m < p.OC && kk < p.C) { b = load_w((col0 + m) * p.C + kk); }
      Bs[k * BN + m] = b;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let a = k * BM + lid.y * 4u;
      let b = k * BN + lid.x * 4u;
      let bv = vec4<f32>(Bs[b], Bs[b + 1u], Bs[b + 2u], Bs[b + 3u]);
      acc0 = fma(vec4<f32>(As[a]), bv, acc0);
      acc1 = fma(vec4<f32>(As[a + 1u]), bv, acc1);
      acc2 = fma(vec4<f32>(As[a + 2u]), bv, acc2);
      acc3 = fma(vec4<f32>(As[a + 3u]), bv, acc3);
    }
    workgroupBarrier();
  }
  let rows = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y * 4u + i;
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x * 4u + j;
      if (r < p.N && c < p.OC) {
        var v = rows[i][j];
        if (HAS_BIAS) { v += bias[c]; }
        out[r * p.OC + c] = v;
      }
    }
  }
}
