// crossentropy_softmax_forward: per row r, probs = softmax(logits[r]) (max-subtracted) and
// losses[r] = logsumexp(logits[r]) - logits[r, target] = -log probs[r, target]; target -1 → loss 0.
// One workgroup per row.
// Bindings: 0 losses (N) | 1 probs (N, V) | 2 logits (N, V) | 3 targets (N) i32 | 4 params {N, V}
override WG: u32 = 256u;

struct Params { N: u32, V: u32 }
@group(0) @binding(0) var<storage, read_write> losses: array<f32>;
@group(0) @binding(1) var<storage, read_write> probs: array<f32>;
@group(0) @binding(2) var<storage, read> logits: array<f32>;
@group(0) @binding(3) var<storage, read> targets: array<i32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r = wid.x;
  if (r >= p.N) { return; } // workgroup-uniform
  let base = r * p.V;
  var mx = NEG_BIG;
  for (var v = lid.x; v < p.V; v += WG) { mx = max(mx, logits[base + v]); }
  mx = wg_max(mx, lid.x, WG);
  var sum = 0.0;
  for (var v = lid.x; v < p.V; v += WG) { sum += exp(logits[base + v] - mx); }
  sum = wg_sum(sum, lid.x, WG);
  let inv = 1.0 / sum;
  for (var v = lid.x; v < p.V; v += WG) { probs[base + v] = exp(logits[base + v] - mx) * inv; }
  if (lid.x == 0u) {
    let t = targets[r];
    var loss = 0.0;
    if (t >= 0 && u32(t) < p.V) { loss = log(sum) + mx - logits[base + u32(t)]; }
    losses[r] = loss;
  }
}
