// Test fixture: a one-layer, hand-differentiated EditableModel with a word-level vocabulary, small enough to
// check MEMOIR's trainer, routing and deletion exactly without the engine. Not a language model and never
// used by the app: ctx_t = ½·ctx_{t−1} + wte[id_t]; a_t = tanh(Win·ctx_t); h_t = ctx_t + Wdown·a_t + memory;
// logits_t = wte·h_t (tied head).

import { argmax } from '../../engine/model/generate';
import { uniformArray } from '../../lib/random';
import type { EditableModel, EditSequence, LossAndGrad, MemoryHook, ModelDims } from './model';

export class ToyModel implements EditableModel {
  readonly id: string;
  readonly dims: ModelDims;
  /** Forward calls that went through the memory path (lets tests see that routing switched it off). */
  hookedForwards = 0;
  /** Forward calls of any kind (lets tests count the model calls a measurement makes). */
  forwards = 0;
  private readonly wte: Float32Array; // (V, C)
  private readonly win: Float32Array; // (H, C)
  private readonly wdown: Float32Array; // (C, H)
  private readonly words = new Map<string, number>([['<bos>', 0]]);

  constructor(opts: { V?: number; C?: number; H?: number; seed?: number } = {}) {
    const { V = 200, C = 24, H = 64, seed = 7 } = opts;
    this.id = `toy-${V}-${C}-${H}-${seed}`;
    this.dims = { layers: 1, C, H, V };
    this.wte = uniformArray(V * C, seed, 1.0);
    this.win = uniformArray(H * C, seed + 1, 0.5);
    this.wdown = uniformArray(C * H, seed + 2, 0.2);
  }

  encode(text: string): Int32Array {
    return Int32Array.from([0, ...this.encodeContinuation(text)]);
  }

  encodeContinuation(text: string): Int32Array {
    return Int32Array.from(
      text
        .toLowerCase()
        .split(/[\s.,?]+/)
        .filter((w) => w.length > 0)
        .map((w) => this.wordId(w)),
    );
  }

  decode(ids: Int32Array): string {
    const names = [...this.words.keys()];
    return Array.from(ids, (i) => names[i] ?? `<${i}>`).join(' ');
  }

  async downProjInput(ids: Int32Array): Promise<Float32Array> {
    return this.forward(ids, null).a;
  }

  async logits(ids: Int32Array, hook: MemoryHook | null): Promise<Float32Array> {
    return this.forward(ids, hook).logits;
  }

  async greedy(ids: Int32Array, maxNew: number, hook: MemoryHook | null): Promise<Int32Array> {
    const out: number[] = [];
    let seq = ids;
    for (let i = 0; i < maxNew; i++) {
      const { logits } = this.forward(seq, hook);
      const next = argmax(logits.subarray((seq.length - 1) * this.dims.V, seq.length * this.dims.V));
      out.push(next);
      seq = Int32Array.from([...seq, next]);
    }
    return Int32Array.from(out);
  }

  async editLossAndGrad(batch: readonly EditSequence[], hook: MemoryHook): Promise<LossAndGrad> {
    const { C, H, V } = this.dims;
    const k = hook.cols.length;
    const grad = new Float32Array(C * k);
    const count = batch.reduce((n, s) => n + s.targetLength, 0);
    let loss = 0;
    let targetProb = 0; // mean −log p on the first sequence until the end
    batch.forEach((seq, b) => {
      const { a, logits } = this.forward(seq.ids, hook);
      const T = seq.ids.length;
      for (let t = T - 1 - seq.targetLength; t < T - 1; t++) {
        const target = seq.ids[t + 1];
        const probs = softmaxRow(logits, t, V);
        loss -= Math.log(probs[target]) / count;
        if (b === 0) targetProb -= Math.log(probs[target]) / seq.targetLength;
        probs[target] -= 1; // dlogits row (· 1/count below)
        const dh = new Float32Array(C);
        for (let v = 0; v < V; v++)
          for (let c = 0; c < C; c++) dh[c] += (probs[v] / count) * this.wte[v * C + c];
        for (let c = 0; c < C; c++)
          for (let j = 0; j < k; j++) grad[c * k + j] += dh[c] * a[t * H + hook.cols[j]];
      }
    });
    return { loss, grad, targetProb: Math.exp(-targetProb) };
  }

  private forward(ids: Int32Array, hook: MemoryHook | null): { a: Float32Array; logits: Float32Array } {
    const { C, H, V } = this.dims;
    const T = ids.length;
    const a = new Float32Array(T * H);
    const logits = new Float32Array(T * V);
    const ctx = new Float32Array(C);
    this.forwards++;
    if (hook) this.hookedForwards++;
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < C; c++) ctx[c] = 0.5 * ctx[c] + this.wte[ids[t] * C + c];
      for (let h = 0; h < H; h++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += this.win[h * C + c] * ctx[c];
        a[t * H + h] = Math.tanh(s);
      }
      const hidden = ctx.slice();
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let h = 0; h < H; h++) s += this.wdown[c * H + h] * a[t * H + h];
        if (hook) for (const h of hook.cols) s += hook.wm[c * H + h] * a[t * H + h];
        hidden[c] += s;
      }
      for (let v = 0; v < V; v++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += this.wte[v * C + c] * hidden[c];
        logits[t * V + v] = s;
      }
    }
    return { a, logits };
  }

  private wordId(w: string): number {
    let id = this.words.get(w);
    if (id === undefined) {
      id = this.words.size;
      if (id >= this.dims.V)
        throw new Error(`toy model: vocabulary of ${this.dims.V} words is full at "${w}"`);
      this.words.set(w, id);
    }
    return id;
  }
}

function softmaxRow(logits: Float32Array, t: number, V: number): Float64Array {
  const row = logits.subarray(t * V, (t + 1) * V);
  let max = -Infinity;
  for (const x of row) max = Math.max(max, x);
  const p = Float64Array.from(row, (x) => Math.exp(x - max));
  const sum = p.reduce((s, x) => s + x, 0);
  return p.map((x) => x / sum);
}
