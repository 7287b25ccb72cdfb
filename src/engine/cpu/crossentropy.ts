// CPU reference for the fused softmax + cross-entropy over the vocabulary, per row.
// Forward saves probs (N, V); targets of -1 mark rows that are not scored (loss 0, gradient 0).
// Backward OVERWRITES dlogits with the gradient of the MEAN loss over the `count` scored rows.

/** losses (N), probs (N, V); logits (N, V); targets (N), -1 = ignore. */
export function crossentropySoftmaxForward(
  losses: Float32Array,
  probs: Float32Array,
  logits: Float32Array,
  targets: Int32Array,
  N: number,
  V: number,
): void {
  for (let n = 0; n < N; n++) {
    const x = n * V;
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[x + v]);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(logits[x + v] - max);
    for (let v = 0; v < V; v++) probs[x + v] = Math.exp(logits[x + v] - max) / sum;
    const t = targets[n];
    // log p_t computed from the logits directly: log(probs) would lose digits for tiny p_t.
    losses[n] = t < 0 ? 0 : -(logits[x + t] - max - Math.log(sum));
  }
}

/** dlogits (N, V) = (probs - onehot(target)) / count on scored rows, 0 on rows with target -1. */
export function crossentropySoftmaxBackward(
  dlogits: Float32Array,
  probs: Float32Array,
  targets: Int32Array,
  count: number,
  N: number,
  V: number,
): void {
  for (let n = 0; n < N; n++) {
    const x = n * V;
    const t = targets[n];
    for (let v = 0; v < V; v++) {
      dlogits[x + v] = t < 0 ? 0 : (probs[x + v] - (v === t ? 1 : 0)) / count;
    }
  }
}
