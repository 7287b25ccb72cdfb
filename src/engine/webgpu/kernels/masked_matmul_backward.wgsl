// masked_matmul_backward (MEMOIR memory gradient): dwm[c, cols[j]] += sum_n dout[n, c] * a[n, cols[j]].
// One invocation per (c, j); columns outside `cols` are never touched. cols must be distinct (they
// are: a permutation of top-k indices), so no two invocations write the same element.
// Parameter gradient: ACCUMULATED.
// Bindings: 0 dwm (C, H) | 1 dout (N, C) | 2 a (N, H) | 3 cols (k) i32 | 4 params {N, C, H, K}
override WG: u32 = 256u;

struct Params { N: u32, C: u32, H: u32, K: u32 }
@group(0) @binding(0) var<storage, read_write> dwm: array<f32>;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> cols: array<i32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.C * p.K) { return; }
  let c = i / p.K;
  let col = u32(cols[i % p.K]);
  var acc = 0.0;
  for (var n = 0u; n < p.N; n++) { acc = fma(dout[n * p.C + c], a[n * p.H + col], acc); }
  dwm[c * p.H + col] += acc;
}
