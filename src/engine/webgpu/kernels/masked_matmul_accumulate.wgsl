// masked_matmul_accumulate (MEMOIR residual): out[n, c] += sum_j a[n, cols[j]] * wm[c, cols[j]],
// i.e. out += (a ⊙ mask) · Wmᵀ touching only the k masked columns. 8 channels per 32×8 workgroup,
// 32 lanes split the k columns, tree reduction in workgroup memory; n = workgroup z.
// Bindings: 0 out (N, C) | 1 a (N, H) | 2 wm (C, H) | 3 cols (k) i32 | 4 params {N, C, H, K}
const LANES: u32 = 32u;
const ROWS: u32 = 8u;

struct Params { N: u32, C: u32, H: u32, K: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> wm: array<f32>;
@group(0) @binding(3) var<storage, read> cols: array<i32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(32, 8)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
) {
  let c = (wid.x + wid.y * nwg.x) * ROWS + lid.y;
  let n = wid.z;
  var s = 0.0;
  if (c < p.C) {
    for (var j = lid.x; j < p.K; j += LANES) {
      let col = u32(cols[j]);
      s = fma(a[n * p.H + col], wm[c * p.H + col], s);
    }
  }
  let t = lid.y * LANES + lid.x;
  wg_scratch[t] = s;
  workgroupBarrier();
  for (var st = LANES / 2u; st > 0u; st /= 2u) {
    if (lid.x < st) { wg_scratch[t] += wg_scratch[t + st]; }
    workgroupBarrier();
  }
  if (lid.x == 0u && c < p.C) { out[n * p.C + c] += wg_scratch[t]; }
}
