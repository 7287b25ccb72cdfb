// matmul_backward_bias: dbias[o] += sum_n dout[n, col + o], dout (N, ldo). One invocation per output
// channel. Parameter gradient: ACCUMULATED.
// Bindings: 0 dbias (OC) | 1 dout (N, ldo) | 2 params {N, OC, ldo, col}
override WG: u32 = 64u;

struct Params { N: u32, OC: u32, ldo: u32, col: u32 }
@group(0) @binding(0) var<storage, read_write> dbias: array<f32>;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = flat_index(gid, nwg, WG);
  if (o >= p.OC) { return; }
  var acc = 0.0;
  for (var n = 0u; n < p.N; n++) { acc += dout[n * p.ldo + p.col + o]; }
  dbias[o] += acc;
}
