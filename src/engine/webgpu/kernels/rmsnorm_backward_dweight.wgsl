// rmsnorm_backward_dweight: dweight[c] += sum_n dout[n, c] * inp[n, c] * rstd[n]. One invocation
// per channel, looping over rows (N is a prompt, small). Parameter gradient: ACCUMULATED.
// Bindings: 0 dweight (C) | 1 dout (N, C) | 2 inp (N, C) | 3 rstd (N) | 4 params {N, C}
override WG: u32 = 64u;

struct Params { N: u32, C: u32 }
@group(0) @binding(0) var<storage, read_write> dweight: array<f32>;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;
@group(0) @binding(3) var<storage, read> rstd: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= p.C) { return; }
  var acc = 0.0;
  for (var n = 0u; n < p.N; n++) { acc += dout[n * p.C + c] * inp[n * p.C + c] * rstd[n]; }
  dweight[c] += acc;
}
