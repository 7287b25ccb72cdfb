// matmul_forward (tiled): out (N, OC) = inp (N, C) · weightᵀ + bias, weight in HF Linear layout
// (OC, C) stored as u32 words of DTYPE and decoded while staging (q8/q4 times their block scale).
// Each 16×16 workgroup owns a 64×64 output tile, 4×4 outputs per invocation, K staged 16 at a time
// (tile_multiply and friends in common.wgsl).
// Bindings: 0 out (N, OC) | 1 inp (N, C) | 2 weight (OC, C) words | 3 scales (OC, C/32) | 4 bias (OC) |
//           5 params {N, C, OC, ldo, col}: out's row stride OCout and first column (an LM head block)
override DTYPE: u32 = 0u;
override HAS_BIAS: bool = false;

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

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row0 = wid.y * TILE_M; // rows of inp / out
  let col0 = wid.x * TILE_N; // rows of weight = columns of out
  let tid = lid.y * 16u + lid.x;
  var acc = Tile4x4(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var k0 = 0u; k0 < p.C; k0 += TILE_K) {
    // Stage: element e → (row m = e / TILE_K, k = e % TILE_K), so neighbours read neighbouring k.
    for (var e = tid; e < TILE_M * TILE_K; e += 256u) {
      let m = e / TILE_K;
      let k = e % TILE_K;
      let kk = k0 + k;
      var a = 0.0;
      if (row0 + m < p.N && kk < p.C) { a = inp[(row0 + m) * p.C + kk]; }
      tile_a[k * TILE_M + m] = a;
      var b = 0.0;
      if (col0 + m < p.OC && kk < p.C) { b = load_w((col0 + m) * p.C + kk); }
      tile_b[k * TILE_N + m] = b;
    }
    acc = tile_multiply(acc, lid);
  }
  for (var e = 0u; e < 16u; e++) {
    let rc = tile_coord(wid, lid, e);
    if (rc.x < p.N && rc.y < p.OC) {
      var v = tile_value(acc, e);
      if (HAS_BIAS) { v += bias[rc.y]; }
      out[rc.x * p.ldo + p.col + rc.y] = v;
    }
  }
}
