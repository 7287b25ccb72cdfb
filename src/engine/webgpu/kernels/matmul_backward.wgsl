// matmul_backward (strided GEMM): out (M, NN) = A · B (ACCUMULATE: +=), A[m, k] = a[m*sam + k*sak],
// B[k, n] = b[k*sbk + n*sbn] with b stored as u32 words of B_DTYPE (a quantized weight is decoded
// exactly as in matmul_forward, so an edit backpropagates through it). The launcher uses it twice:
//   dinp (N, C)     = dout (N, OC) · weight (OC, C)       activation gradient, OVERWRITTEN
//   dweight (OC, C) += doutᵀ (OC, N) · inp (N, C)          parameter gradient, ACCUMULATED
// Tiling as matmul_forward: 64×64 tile per 16×16 workgroup, K staged 16 at a time.
// Bindings: 0 out (M, NN) | 1 a f32 | 2 b words | 3 bScales (q8/q4 block scales; dummy otherwise) |
//           4 params {M, NN, K, sam, sak, sbk, sbn}
override ACCUMULATE: bool = false;
override B_DTYPE: u32 = 0u;
const BM: u32 = 64u;
const BN: u32 = 64u;
const BK: u32 = 16u;

struct Params { M: u32, NN: u32, K: u32, sam: u32, sak: u32, sbk: u32, sbn: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<u32>;
@group(0) @binding(3) var<storage, read> bScales: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

fn load_b(i: u32) -> f32 {
  return weight_decode(B_DTYPE, b[weight_word(B_DTYPE, i)], i, bScales[scale_index(B_DTYPE, i)]);
}

var<workgroup> As: array<f32, 1024>; // [k][m]
var<workgroup> Bs: array<f32, 1024>; // [k][n]

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row0 = wid.y * BM;
  let col0 = wid.x * BN;
  let tid = lid.y * 16u + lid.x;
  var acc0 = vec4<f32>(0.0); // row i of this invocation's 4×4 block in acc_i
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < p.K; k0 += BK) {
    for (var e = tid; e < BM * BK; e += 256u) {
      let m = e / BK;
      let k = e % BK;
      let kk = k0 + k;
      var av = 0.0;
      if (row0 + m < p.M && kk < p.K) { av = a[(row0 + m) * p.sam + kk * p.sak]; }
      As[k * BM + m] = av;
      // B is staged with n fastest so that row-major B (sbn = 1) reads are contiguous.
      let n = e % BN;
      let kb = e / BN;
      var bv = 0.0;
      if (col0 + n < p.NN && k0 + kb < p.K) { bv = load_b((k0 + kb) * p.sbk + (col0 + n) * p.sbn); }
      Bs[kb * BN + n] = bv;
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
      if (r < p.M && c < p.NN) {
        if (ACCUMULATE) { out[r * p.NN + c] += rows[i][j]; } else { out[r * p.NN + c] = rows[i][j]; }
      }
    }
  }
}
