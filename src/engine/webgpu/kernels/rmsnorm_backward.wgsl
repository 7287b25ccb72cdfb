// rmsnorm_backward (dinp): with y = x * r * w and r = rstd of the row,
//   dinp = r * w * dy - x * r^3 / C * sum_c(dy * w * x).   One workgroup per row.
// Activation gradient: OVERWRITTEN. dweight is rmsnorm_backward_dweight.wgsl.
// Bindings: 0 dinp (N, C) | 1 dout (N, C) | 2 inp (N, C) | 3 weight (C) | 4 rstd (N) | 5 params {N, C}
override WG: u32 = 64u;

struct Params { N: u32, C: u32 }
@group(0) @binding(0) var<storage, read_write> dinp: array<f32>;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
@group(0) @binding(4) var<storage, read> rstd: array<f32>;
@group(0) @binding(5) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r = wid.x;
  if (r >= p.N) { return; } // workgroup-uniform
  let base = r * p.C;
  let rs = rstd[r];
  var acc = 0.0;
  for (var c = lid.x; c < p.C; c += WG) { acc += dout[base + c] * weight[c] * inp[base + c]; }
  let k = wg_sum(acc, lid.x, WG) * rs * rs * rs / f32(p.C);
  for (var c = lid.x; c < p.C; c += WG) {
    dinp[base + c] = rs * weight[c] * dout[base + c] - inp[base + c] * k;
  }
}
