// common.wgsl: prelude prepended to every kernel by pipelines.ts. Weight dtype codes and decoders
// (layout of src/engine/quantize.ts), grid-index helper, workgroup reductions, sincos, and the helpers
// that kernel pairs share: RoPE rotation (rope_*), the GeGLU gate (geglu_*), the attention window
// (attention_*) and the 64×64-tile GEMM core (matmul_forward/backward).
// Not a kernel: no bindings, no entry point; kernels declare their own bindings after it.

const DT_F32: u32 = 0u;
const DT_F16: u32 = 1u;
const DT_Q8: u32 = 2u;
const DT_Q4: u32 = 3u;
const QUANT_BLOCK: u32 = 32u;
const NEG_BIG: f32 = -3.0e38; // finite "-inf": exp(NEG_BIG - m) underflows to 0 without NaNs

// Weights are bound as array<u32> whatever their dtype. Index of the word holding flat element i.
fn weight_word(dt: u32, i: u32) -> u32 {
  switch dt {
    case DT_F16: { return i >> 1u; }
    case DT_Q8: { return i >> 2u; }
    case DT_Q4: { return i >> 3u; }
    default: { return i; }
  }
}

// Flat element i decoded from its word and multiplied by its block scale (f32/f16 ignore `scale`).
// q8: byte i&3 of the word, sign-extended. q4: nibble i&7 (low nibble = even element), 4-bit two's
// complement. extractBits on i32 sign-extends, which is exactly the decode quantize.ts documents.
fn weight_decode(dt: u32, word: u32, i: u32, scale: f32) -> f32 {
  switch dt {
    case DT_F16: { return unpack2x16float(word)[i & 1u]; }
    case DT_Q8: { return f32(extractBits(bitcast<i32>(word), (i & 3u) * 8u, 8u)) * scale; }
    case DT_Q4: { return f32(extractBits(bitcast<i32>(word), (i & 7u) * 4u, 4u)) * scale; }
    default: { return bitcast<f32>(word); }
  }
}

// Index of flat element i's block scale; 0 for dtypes without scales (a 1-element dummy is bound).
fn scale_index(dt: u32, i: u32) -> u32 {
  return select(0u, i / QUANT_BLOCK, dt == DT_Q8 || dt == DT_Q4);
}

// 1-D index of an invocation in a grid that launchers fold into (x, y) when it exceeds 65535 groups.
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>, wg: u32) -> u32 {
  return gid.x + gid.y * nwg.x * wg;
}

// Workgroup reductions over `n` (a power of two, <= 256) invocations indexed by `lid`. Every
// invocation gets the result. Call from uniform control flow: they contain barriers.
const MAX_WG: u32 = 256u;
var<workgroup> wg_scratch: array<f32, MAX_WG>;

fn wg_sum(x: f32, lid: u32, n: u32) -> f32 {
  wg_scratch[lid] = x;
  workgroupBarrier();
  for (var s = n / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { wg_scratch[lid] += wg_scratch[lid + s]; }
    workgroupBarrier();
  }
  let r = wg_scratch[0];
  workgroupBarrier();
  return r;
}

fn wg_max(x: f32, lid: u32, n: u32) -> f32 {
  wg_scratch[lid] = x;
  workgroupBarrier();
  for (var s = n / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { wg_scratch[lid] = max(wg_scratch[lid], wg_scratch[lid + s]); }
    workgroupBarrier();
  }
  let r = wg_scratch[0];
  workgroupBarrier();
  return r;
}

// (sin x, cos x) to ~1 ulp for |x| < 8192. Built-in sin/cos may be as coarse as 2^-11 absolute
// (the Vulkan bound; SwiftShader is close to it), too coarse for RoPE at long positions. Cody-Waite
// reduction by pi/2 in three parts (k * C1 and k * C2 are exact), then cephes sinf/cosf polynomials.
fn sincos(x: f32) -> vec2<f32> {
  let k = round(x * 0.636619772367581);
  let r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.54978995489188216e-8;
  let z = r * r;
  let s = ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
  let c = ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
  switch (i32(k) & 3) {
    case 1: { return vec2<f32>(c, -s); }
    case 2: { return vec2<f32>(-s, -c); }
    case 3: { return vec2<f32>(-c, s); }
    default: { return vec2<f32>(s, c); }
  }
}

// RoPE (HF rotate_half) shared by rope_forward and rope_backward. Invocation idx owns one pair
// (x[i], x[i + HS/2]) of a head row of a (T, NH, HS) tensor: flat indices lo, hi, its token t and i.
struct RopePair { lo: u32, hi: u32, t: u32, i: u32 }

fn rope_pair(idx: u32, NH: u32, HS: u32) -> RopePair {
  let half = HS / 2u;
  let i = idx % half;
  let row = idx / half; // t * NH + head
  let lo = row * HS + i;
  return RopePair(lo, lo + half, row / NH, i);
}

// The pair x rotated by `angle` (forward: out[i] = x[i] cos - x[i+HS/2] sin, out[i+HS/2] =
// x[i+HS/2] cos + x[i] sin), or by -angle when `inverse` (the transposed rotation of the backward).
fn rope_rotate(x: vec2<f32>, angle: f32, inverse: bool) -> vec2<f32> {
  let sc = sincos(angle);
  let s = sc.x;
  let c = sc.y;
  if (inverse) { return vec2<f32>(x.x * c + x.y * s, x.y * c - x.x * s); }
  return vec2<f32>(x.x * c - x.y * s, x.y * c + x.x * s);
}

// GeGLU shared by geglu_forward and geglu_backward: gelu_pytorch_tanh(x) = 0.5 x (1 + tanh(u)) =
// x * sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3). Returns sigmoid(2u). The sigmoid form stays finite
// for any |x| (exp overflows to inf, giving 0 or 1), where built-in tanh gives NaN for large |u| on some
// drivers (e.g. as exp(u) / exp(u) = inf / inf).
const GELU_K: f32 = 0.7978845608028654; // sqrt(2/pi)
const GELU_A: f32 = 0.044715;

fn gelu_sigmoid(x: f32) -> f32 {
  let u = GELU_K * (x + GELU_A * x * x * x);
  return 1.0 / (1.0 + exp(-2.0 * u));
}

// First key the query at absolute position `pos` sees: keys j with pos - window < j <= pos
// (transformers' sliding_window_overlay: kv_idx > q_idx - sliding_window); window 0 = full causal.
fn attention_first_key(pos: u32, window: u32) -> u32 {
  return select(0u, pos + 1u - window, window > 0u && pos + 1u > window);
}

// 64×64-tile GEMM core shared by matmul_forward and matmul_backward. A 16×16 workgroup owns a
// TILE_M × TILE_N output tile, 4×4 outputs per invocation. Per slice of TILE_K values of k, the
// kernel stages A into tile_a [k][m] and B into tile_b [k][n] (zeros past the edges), then calls
// tile_multiply, which waits for the staging, accumulates and waits until every invocation has read.
const TILE_M: u32 = 64u;
const TILE_N: u32 = 64u;
const TILE_K: u32 = 16u;
var<workgroup> tile_a: array<f32, 1024>; // [k][m], TILE_K * TILE_M
var<workgroup> tile_b: array<f32, 1024>; // [k][n], TILE_K * TILE_N

// Row i of an invocation's 4×4 block in r_i (vectors, not an indexed array: stays in registers).
struct Tile4x4 { r0: vec4<f32>, r1: vec4<f32>, r2: vec4<f32>, r3: vec4<f32> }

// acc + this slice's products for the block at rows lid.y * 4.., columns lid.x * 4.. of the tile.
// Contains barriers: call from uniform control flow.
fn tile_multiply(acc: Tile4x4, lid: vec3<u32>) -> Tile4x4 {
  var r = acc;
  workgroupBarrier();
  for (var k = 0u; k < TILE_K; k++) {
    let a = k * TILE_M + lid.y * 4u;
    let b = k * TILE_N + lid.x * 4u;
    let bv = vec4<f32>(tile_b[b], tile_b[b + 1u], tile_b[b + 2u], tile_b[b + 3u]);
    r.r0 = fma(vec4<f32>(tile_a[a]), bv, r.r0);
    r.r1 = fma(vec4<f32>(tile_a[a + 1u]), bv, r.r1);
    r.r2 = fma(vec4<f32>(tile_a[a + 2u]), bv, r.r2);
    r.r3 = fma(vec4<f32>(tile_a[a + 3u]), bv, r.r3);
  }
  workgroupBarrier();
  return r;
}

// Output (row, column) of element e < 16 of an invocation's block in tile (wid.y, wid.x); its value
// is tile_value(acc, e).
fn tile_coord(wid: vec3<u32>, lid: vec3<u32>, e: u32) -> vec2<u32> {
  return vec2<u32>(wid.y * TILE_M + lid.y * 4u + e / 4u, wid.x * TILE_N + lid.x * 4u + e % 4u);
}

fn tile_value(acc: Tile4x4, e: u32) -> f32 {
  let rows = array<vec4<f32>, 4>(acc.r0, acc.r1, acc.r2, acc.r3);
  return rows[e / 4u][e % 4u];
}
