// embedding_forward: out[t, c] = wte[ids[t] - first, c], wte decoded per DTYPE (tied embeddings may be
// f16/q8/q4) and holding rows first.. of a table split by rows (model/row-blocks.ts). Rows whose id is
// outside [first, first + V) are not written: another block holds them (the model checks ids).
// Bindings: 0 out (T, C) f32 | 1 ids (T) i32 | 2 wte (V, C) u32 words | 3 scales (V, C/32) f32 |
//           4 params {T, C, V, first}
override WG: u32 = 256u;
override DTYPE: u32 = 0u;

struct Params { T: u32, C: u32, V: u32, first: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> ids: array<i32>;
@group(0) @binding(2) var<storage, read> wte: array<u32>;
@group(0) @binding(3) var<storage, read> scales: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.T * p.C) { return; }
  let t = i / p.C;
  let c = i % p.C;
  let r = ids[t] - i32(p.first);
  if (r < 0 || r >= i32(p.V)) { return; }
  let e = u32(r) * p.C + c;
  out[i] = weight_decode(DTYPE, wte[weight_word(DTYPE, e)], e, scales[scale_index(DTYPE, e)]);
}
