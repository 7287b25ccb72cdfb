// rmsnorm_forward: per row r, rstd = 1 / sqrt(mean(inp[r]^2) + eps), out = inp * rstd * weight.
// One workgroup per row; rstd is saved for rmsnorm_backward.
// Bindings: 0 out (N, C) | 1 rstd (N) | 2 inp (N, C) | 3 weight (C) | 4 params {N, C, eps}
override WG: u32 = 64u;

struct Params { N: u32, C: u32, eps: f32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r = wid.x;
  if (r >= p.N) { return; } // workgroup-uniform, so the barriers below stay in uniform control flow
  let base = r * p.C;
  var ss = 0.0;
  for (var c = lid.x; c < p.C; c += WG) { let x = inp[base + c]; ss += x * x; }
  let rs = inverseSqrt(wg_sum(ss, lid.x, WG) / f32(p.C) + p.eps);
  if (lid.x == 0u) { rstd[r] = rs; }
  for (var c = lid.x; c < p.C; c += WG) { out[base + c] = inp[base + c] * rs * weight[c]; }
}
