// CPU reference for grouped-query causal self-attention against a KV cache, plus the cache write.
// Query head h reads key/value head h / (NH / NKV). Query t (absolute position past+t) sees keys j with
// past+t-window < j <= past+t (transformers' sliding_window_overlay: kv_idx > q_idx - sliding_window),
// window 0 = every key up to past+t. Scores are scaled by 1/sqrt(HS); the forward saves the softmax
// probs (NH, T, Tk), exactly 0 on masked keys. Backward assumes no past (an edit runs the whole sequence
// at once: Tk = T) and OVERWRITES dq, dk, dv; dk/dv sum over the heads of a group.

/** First key query position `pos` sees: pos - window + 1 under a window, else 0. */
export function firstKey(pos: number, window: number): number {
  return window > 0 ? Math.max(0, pos - window + 1) : 0;
}

/** cache (maxT, NKV, HS) rows past..past+T-1 = src (T, NKV, HS). */
export function kvWrite(
  cache: Float32Array,
  src: Float32Array,
  T: number,
  past: number,
  NKV: number,
  HS: number,
): void {
  cache.set(src.subarray(0, T * NKV * HS), past * NKV * HS);
}

/** out (T, NH, HS), probs (NH, T, Tk) with Tk = past + T; q (T, NH, HS); kCache, vCache (maxT, NKV, HS). */
export function attentionForward(
  out: Float32Array,
  probs: Float32Array,
  q: Float32Array,
  kCache: Float32Array,
  vCache: Float32Array,
  T: number,
  past: number,
  NH: number,
  NKV: number,
  HS: number,
  window: number,
): void {
  const Tk = past + T;
  const group = NH / NKV;
  const scale = 1 / Math.sqrt(HS);
  const scores = new Float32Array(Tk);
  for (let h = 0; h < NH; h++) {
    const kvh = Math.floor(h / group);
    for (let t = 0; t < T; t++) {
      const qo = (t * NH + h) * HS;
      const visible = past + t + 1; // causal: query t sees keys lo..past+t
      const lo = firstKey(past + t, window);
      let max = -Infinity;
      for (let j = lo; j < visible; j++) {
        const ko = (j * NKV + kvh) * HS;
        let s = 0;
        for (let i = 0; i < HS; i++) s += q[qo + i] * kCache[ko + i];
        scores[j] = s * scale;
        max = Math.max(max, scores[j]);
      }
      let sum = 0;
      for (let j = lo; j < visible; j++) {
        scores[j] = Math.exp(scores[j] - max);
        sum += scores[j];
      }
      const po = (h * T + t) * Tk;
      for (let j = 0; j < Tk; j++) probs[po + j] = j >= lo && j < visible ? scores[j] / sum : 0;
      for (let i = 0; i < HS; i++) out[qo + i] = 0;
      for (let j = lo; j < visible; j++) {
        const p = probs[po + j];
        const vo = (j * NKV + kvh) * HS;
        for (let i = 0; i < HS; i++) out[qo + i] += p * vCache[vo + i];
      }
    }
  }
}

/** dq (T, NH, HS), dk, dv (T, NKV, HS); dout, q (T, NH, HS); k, v (T, NKV, HS); probs (NH, T, T) saved
 *  by the forward with the same window (masked keys have p = 0 and get no gradient either way). */
export function attentionBackward(
  dq: Float32Array,
  dk: Float32Array,
  dv: Float32Array,
  dout: Float32Array,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  probs: Float32Array,
  T: number,
  NH: number,
  NKV: number,
  HS: number,
  window: number,
): void {
  const group = NH / NKV;
  const scale = 1 / Math.sqrt(HS);
  dq.fill(0, 0, T * NH * HS);
  dk.fill(0, 0, T * NKV * HS);
  dv.fill(0, 0, T * NKV * HS);
  const dprobs = new Float32Array(T);
  for (let h = 0; h < NH; h++) {
    const kvh = Math.floor(h / group);
    for (let t = 0; t < T; t++) {
      const qo = (t * NH + h) * HS;
      const po = (h * T + t) * T;
      const lo = firstKey(t, window);
      // dprobs_j = dout_t · v_j; dv_j += p_j dout_t
      let pdp = 0;
      for (let j = lo; j <= t; j++) {
        const vo = (j * NKV + kvh) * HS;
        const p = probs[po + j];
        let s = 0;
        for (let i = 0; i < HS; i++) {
          s += dout[qo + i] * v[vo + i];
          dv[vo + i] += p * dout[qo + i];
        }
        dprobs[j] = s;
        pdp += p * s;
      }
      // softmax backward: dscore_j = p_j (dprobs_j - Σ p dprobs); scores = scale · q·k
      for (let j = lo; j <= t; j++) {
        const ds = probs[po + j] * (dprobs[j] - pdp) * scale;
        const ko = (j * NKV + kvh) * HS;
        for (let i = 0; i < HS; i++) {
          dq[qo + i] += ds * k[ko + i];
          dk[ko + i] += ds * q[qo + i];
        }
      }
    }
  }
}
