// The one contract between models/editors and compute: memory + a fixed list of forward/backward
// op pairs. CPU (src/engine/cpu) is the reference; WebGPU (src/engine/webgpu) is one implementation.
// Not a tensor library: no broadcasting, no autograd; batch is always 1 sequence (loop for more).
// Shapes use the legend in shapes.ts. Argument order: outputs, then inputs, then dims/scalars.
// In a backward, produced gradients come first, then dout, then what the forward saved.
// Parameter gradients ACCUMULATE (+=); activation gradients OVERWRITE (=).
// contract.ts checks each op's arguments against these doc comments; every backend calls it on entry.

import { EngineError } from './errors';

/** Element types a tensor can hold. q8/q4: weights only, symmetric block quantization along the
 *  input dim (QUANT_BLOCK values share one f32 scale); dequantized inside the matmul and embedding
 *  kernels. */
export type DType = 'f32' | 'f16' | 'i32' | 'q8' | 'q4';
export const QUANT_BLOCK = 32;

export type BackendName = 'cpu' | 'webgpu';

/** Bytes per stored element of the values (quantized blocks keep their f32 scales apart). */
const BYTES_PER_ELEMENT: Record<DType, number> = { f32: 4, i32: 4, f16: 2, q8: 1, q4: 0.5 };

/** The largest buffer a backend can hold and bind; a tensor above either cannot be uploaded. */
export interface BackendLimits {
  /** Bytes of one buffer (WebGPU maxBufferSize); Infinity on the CPU. */
  maxBufferSize: number;
  /** Bytes one storage binding may span (WebGPU maxStorageBufferBindingSize): kernels bind whole
   *  tensors, so this bounds every tensor's buffer too; Infinity on the CPU. */
  maxStorageBufferBindingSize: number;
}

/** Opaque handle to backend memory. `shape` is logical (quantized weights keep (OC, C)). */
export interface Tensor {
  readonly backend: BackendName;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** Host-side data for an upload. Quantized data is produced by src/engine/quantize.ts. */
export type HostData =
  | { dtype: 'f32'; data: Float32Array }
  | { dtype: 'i32'; data: Int32Array }
  | { dtype: 'f16'; data: Uint16Array }
  | { dtype: 'q8'; values: Int8Array; scales: Float32Array }
  | { dtype: 'q4'; packed: Uint8Array; scales: Float32Array };

export interface Backend {
  readonly name: BackendName;
  readonly limits: BackendLimits;

  // ---- memory ----
  alloc(shape: readonly number[], dtype?: 'f32' | 'i32'): Tensor; // zero-filled
  upload(shape: readonly number[], host: HostData): Tensor;
  /** Overwrite a f32/i32 tensor's first `data.length` elements starting at element `offset`. */
  write(dst: Tensor, data: Float32Array | Int32Array, offset?: number): void;
  download(t: Tensor): Promise<Float32Array>; // f32 tensors only
  /** The same memory seen with another shape of equal element count, e.g. q (T, NH*HS) as (T, NH, HS).
   *  No copy. Free only the original; a view dies with it. */
  view(t: Tensor, shape: readonly number[]): Tensor;
  free(t: Tensor): void;
  /** Resolves when all submitted work has finished. */
  sync(): Promise<void>;

  // ---- forward ops ----
  /** out (T, C) f32 = wte[ids]; ids (T) i32; wte (V, C) f32|f16|q8|q4, gathered rows decoded to f32 (a
   *  quantized embedding is also the tied LM head's weight). Also the model's row gather: wte = hidden
   *  (T, C) f32, ids = [T-1] picks the last position for the LM head. wte may be rows firstRow.. of a
   *  table split by rows (model/row-blocks.ts): out row t is written where firstRow <= ids[t] <
   *  firstRow + V, and left as it is otherwise (ids outside every block leave it too). */
  embeddingForward(out: Tensor, ids: Tensor, wte: Tensor, firstRow?: number): void;
  /** out (N, C), rstd (N) saved; inp (N, C), weight (C). out = inp * rstd * weight. */
  rmsnormForward(out: Tensor, rstd: Tensor, inp: Tensor, weight: Tensor, eps: number): void;
  /** out (N, OC) = inp (N, C) · weightᵀ + bias; weight (OC, C) f32|f16|q8|q4 (HF Linear layout); bias (OC) or null.
   *  With col: out is (N, OCout), OCout >= col + OC, and only its columns col..col+OC-1 are written (an
   *  LM head split by vocabulary rows fills one logits tensor block by block). */
  matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor | null, col?: number): void;
  /** Rotary embedding, HF "rotate_half" convention. out, inp (T, NH, HS), HS even; positions (T) i32;
   *  invFreq (HS/2) f32 (plain RoPE: ropeInvFreq in rope-freq.ts; scaled variants rescale it). Pair
   *  (i, i + HS/2) at position p turns by angle p * invFreq[i], computed in f32 as transformers does.
   *  out may be inp. */
  ropeForward(out: Tensor, inp: Tensor, positions: Tensor, invFreq: Tensor): void;
  /** Grouped-query causal attention for the T new tokens against the cache.
   *  out (T, NH, HS); probs (NH, T, Tk) saved softmax; q (T, NH, HS); kCache, vCache (maxT, NKV, HS)
   *  whose first Tk = past + T rows are valid (the new tokens' k/v already written at rows past..Tk-1).
   *  Query t (position past+t) sees keys j with past+t-window < j <= past+t (transformers' sliding
   *  window: the last `window` keys); window 0 = full causal, keys 0..past+t. Masked keys get p = 0.
   *  NH is a multiple of NKV; scale 1/sqrt(HS). */
  attentionForward(
    out: Tensor,
    probs: Tensor,
    q: Tensor,
    kCache: Tensor,
    vCache: Tensor,
    past: number,
    window: number,
  ): void;
  /** Copy src (T, NKV, HS) into cache (maxT, NKV, HS) at rows past..past+T-1. */
  kvWrite(cache: Tensor, src: Tensor, past: number): void;
  /** out (N, H) = silu(gate) * up; gate, up (N, H). */
  swigluForward(out: Tensor, gate: Tensor, up: Tensor): void;
  /** out (N, H) = gelu_tanh(gate) * up; gate, up (N, H). gelu_tanh is transformers' gelu_pytorch_tanh:
   *  0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (Gemma's MLP). */
  gegluForward(out: Tensor, gate: Tensor, up: Tensor): void;
  /** out = a + b, same shapes; out may alias a. */
  addForward(out: Tensor, a: Tensor, b: Tensor): void;
  /** out = inp * s, same shapes, s rounded to f32; out may alias inp. Forward only (Gemma's embedding
   *  scale sqrt(C): the edit path never backpropagates through the embedding). */
  scaleForward(out: Tensor, inp: Tensor, s: number): void;
  /** MEMOIR residual: out (N, C) += (a ⊙ mask) · Wmᵀ, restricted to the k columns in `cols`.
   *  a (N, H) down_proj input; wm (C, H) memory; cols (k) i32 column indices. */
  maskedMatmulAccumulate(out: Tensor, a: Tensor, wm: Tensor, cols: Tensor): void;
  /** Softmax cross-entropy per row. losses (N), probs (N, V) saved; logits (N, V); targets (N) i32, -1 = ignore (loss 0). */
  crossentropySoftmaxForward(losses: Tensor, probs: Tensor, logits: Tensor, targets: Tensor): void;

  // ---- backward ops (only what an edit needs: loss → one FFN layer's output) ----
  /** Gradient of the MEAN loss over `count` scored rows (count may span several sequences of one batch):
   *  dlogits (N, V) = (probs - onehot(target)) / count, rows with target -1 get 0. */
  crossentropySoftmaxBackward(dlogits: Tensor, probs: Tensor, targets: Tensor, count: number): void;
  /** dinp (N, C) overwritten; dweight (OC, C) and dbias (OC) f32, accumulated when not null.
   *  weight (OC, C) f32|f16|q8|q4 like the forward: an edit of a quantized model backpropagates through it.
   *  With col: dout is (N, OCout) and its columns col..col+OC-1 are read, as the forward wrote them. */
  matmulBackward(
    dinp: Tensor | null,
    dweight: Tensor | null,
    dbias: Tensor | null,
    dout: Tensor,
    inp: Tensor,
    weight: Tensor,
    col?: number,
  ): void;
  /** dinp (N, C) overwritten, dweight (C) accumulated when not null. */
  rmsnormBackward(
    dinp: Tensor,
    dweight: Tensor | null,
    dout: Tensor,
    inp: Tensor,
    weight: Tensor,
    rstd: Tensor,
  ): void;
  /** dinp (T, NH, HS) = inverse rotation of dout (T, NH, HS), HS even, angles as in ropeForward.
   *  dinp may be dout. */
  ropeBackward(dinp: Tensor, dout: Tensor, positions: Tensor, invFreq: Tensor): void;
  /** No past (an edit runs with past = 0, Tk = T): q, dout (T, NH, HS); k, v (T, NKV, HS) this call's own
   *  rotated keys and values, exactly T rows (not a cache); probs (NH, T, T) saved by the forward.
   *  dq (T, NH, HS) and dk, dv (T, NKV, HS) overwritten. window as in the forward. */
  attentionBackward(
    dq: Tensor,
    dk: Tensor,
    dv: Tensor,
    dout: Tensor,
    q: Tensor,
    k: Tensor,
    v: Tensor,
    probs: Tensor,
    window: number,
  ): void;
  /** dgate, dup (N, H) overwritten; dout, gate, up (N, H). */
  swigluBackward(dgate: Tensor, dup: Tensor, dout: Tensor, gate: Tensor, up: Tensor): void;
  /** dgate, dup (N, H) overwritten; dout, gate, up (N, H). */
  gegluBackward(dgate: Tensor, dup: Tensor, dout: Tensor, gate: Tensor, up: Tensor): void;
  /** MEMOIR memory gradient: dwm (C, H) += doutᵀ · (a ⊙ mask), only columns in `cols` are touched. */
  maskedMatmulBackward(dwm: Tensor, dout: Tensor, a: Tensor, cols: Tensor): void;
}

/** The argument list of Backend op `K`, e.g. OpArgs<'addForward'> = [out, a, b]: lets contract.ts
 *  and thin wrappers take exactly what the op takes. */
export type OpArgs<K extends keyof Backend> = Parameters<Extract<Backend[K], (...args: never[]) => unknown>>;

export function tensorElements(t: Tensor): number {
  return t.shape.reduce((n, d) => n * d, 1);
}

/** Bytes of each buffer a tensor of `dtype` and `shape` is stored in (ignoring allocator padding): its
 *  values, then for q8/q4 its block scales (one f32 per QUANT_BLOCK values). */
export function tensorBuffers(shape: readonly number[], dtype: DType): number[] {
  const n = shape.reduce((a, d) => a * d, 1);
  const values = Math.ceil(n * BYTES_PER_ELEMENT[dtype]);
  return dtype === 'q8' || dtype === 'q4' ? [values, (n / QUANT_BLOCK) * 4] : [values];
}

/** Memory a tensor takes on its backend (ignoring allocator padding). */
export function tensorBytes(t: Tensor): number {
  return tensorBuffers(t.shape, t.dtype).reduce((a, b) => a + b, 0);
}

const factories = new Map<BackendName, () => Promise<Backend>>();

/** Backends register themselves by name; adding a backend is one folder and one `registerBackend` line. */
export function registerBackend(name: BackendName, create: () => Promise<Backend>): void {
  factories.set(name, create);
}

export async function createBackend(name: BackendName): Promise<Backend> {
  const create = factories.get(name);
  if (!create) {
    throw new EngineError(
      'UNIMPLEMENTED',
      `engine: no backend registered as "${name}"`,
      `import the module that calls registerBackend('${name}', ...) (e.g. src/engine/cpu/backend.ts) first`,
    );
  }
  return create();
}
