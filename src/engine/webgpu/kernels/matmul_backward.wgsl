// matmul_backward (strided GEMM): out (M, NN) = A · B (ACCUMULATE: +=), A[m, k] = a[a0 + m*sam + k*sak],
// B[k, n] = b[k*sbk + n*sbn] with b stored as u32 words of B_DTYPE (a quantized weight is decoded
// exactly as in matmul_forward, so an edit backpropagates through it). The launcher uses it twice:
//   dinp (N, C)     = dout (N, OC) · weight (OC, C)       activation gradient, OVERWRITTEN
//   dweight (OC, C) += doutᵀ (OC, N) · inp (N, C)          parameter gradient, ACCUMULATED
// where dout may be columns a0.. of a wider (N, OCout) gradient (an LM head block's logits).
// Tiling as matmul_forward (tile_multiply in common.wgsl): 64×64 tile per 16×16 workgroup, K staged 16 at a time.
// Bindings: 0 out (M, NN) | 1 a f32 | 2 b words | 3 bScales (q8/q4 block scales; dummy otherwise) |
//           4 params {M, NN, K, sam, sak, sbk, sbn, a0}
override ACCUMULATE: bool = false;
override B_DTYPE: u32 = 0u;

struct Params { M: u32, NN: u32, K: u32, sam: u32, sak: u32, sbk: u32, sbn: u32, a0: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<u32>;
@group(0) @binding(3) var<storage, read> bScales: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

fn load_b(i: u32) -> f32 {
  return weight_decode(B_DTYPE, b[weight_word(B_DTYPE, i)], i, bScales[scale_index(B_DTYPE, i)]);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row0 = wid.y * TILE_M;
  let col0 = wid.x * TILE_N;
  let tid = lid.y * 16u + lid.x;
  var acc = Tile4x4(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var k0 = 0u; k0 < p.K; k0 += TILE_K) {
    for (var e = tid; e < TILE_M * TILE_K; e += 256u) {
      let m = e / TILE_K;
      let k = e % TILE_K;
      var av = 0.0;
      if (row0 + m < p.M && k0 + k < p.K) { av = a[p.a0 + (row0 + m) * p.sam + (k0 + k) * p.sak]; }
      tile_a[k * TILE_M + m] = av;
      // B is staged with n fastest so that row-major B (sbn = 1) reads are contiguous.
      let n = e % TILE_N;
      let kb = e / TILE_N;
      var bv = 0.0;
      if (col0 + n < p.NN && k0 + kb < p.K) { bv = load_b((k0 + kb) * p.sbk + (col0 + n) * p.sbn); }
      tile_b[kb * TILE_N + n] = bv;
    }
    acc = tile_multiply(acc, lid);
  }
  for (var e = 0u; e < 16u; e++) {
    let rc = tile_coord(wid, lid, e);
    let i = rc.x * p.NN + rc.y;
    if (rc.x < p.M && rc.y < p.NN) {
      if (ACCUMULATE) { out[i] += tile_value(acc, e); } else { out[i] = tile_value(acc, e); }
    }
  }
}
