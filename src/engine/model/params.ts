// Uploads a checkpoint's tensors to a Backend at the chosen precision. The embedding and the Linear
// weights (q/k/v/o, gate/up/down, an untied lm_head) take the precision; norms and biases stay f32,
// and a tied LM head is the embedding itself (kept f32 it would be most of a small model at q8). The
// embedding and the head are stored in row blocks where the backend's buffer limits require it
// (row-blocks.ts: Qwen2.5-0.5B's f32 table is 544 MB, many adapters bind 128 MiB). Family differences
// that are exact to fold into a weight are folded here, once: Gemma's RMSNorm x·rstd·(1+w) becomes
// x·rstd·w' with w' = 1+w in f32 (what transformers computes), and each layer kind's RoPE table is
// built from its rope spec. Tensors are converted and uploaded in the order the source holds them, so a streamed
// file (models/checkpoint-stream.ts) hands each one over as it arrives and none waits in memory.
// Not the checkpoint parsing (src/models) nor the forward.

import type { Backend, HostData, Tensor } from '../backend';
import { throwIfAborted } from '../errors';
import { ropeInvFreq } from '../rope-freq';
import type { LayerKind, ModelConfig } from './config';
import { FAMILIES } from './families';
import { encodeF16, encodeWeight, encodeWeightRows, type WeightPrecision } from '../quantize';
import { scaledInvFreq } from './rope-scaling';
import type { TensorReader } from './tensor-reader';
import { EMBED, FINAL_NORM, LM_HEAD, layerNames, parameterTable } from './weights';
import { checkBackendLimits, takesPrecision, tensorKinds } from './memory-plan';
import { sliceRows } from './row-blocks';

export interface LayerParams {
  inputNorm: Tensor; // (C)
  q: Tensor; // (NH*HS, C)
  k: Tensor; // (NKV*HS, C)
  v: Tensor; // (NKV*HS, C)
  o: Tensor; // (C, NH*HS)
  qBias: Tensor | null; // (NH*HS)
  kBias: Tensor | null; // (NKV*HS)
  vBias: Tensor | null; // (NKV*HS)
  oBias: Tensor | null; // (C)
  qNorm: Tensor | null; // (HS) q_norm (qwen3, gemma3); gemma3's attention scale folded in
  kNorm: Tensor | null; // (HS) k_norm
  attnOutNorm: Tensor | null; // (C) gemma3's post_attention_layernorm, on the attention output
  mlpNorm: Tensor; // (C) the norm in front of the MLP
  mlpOutNorm: Tensor | null; // (C) gemma3's post_feedforward_layernorm, on the MLP output
  gate: Tensor; // (H, C)
  up: Tensor; // (H, C)
  down: Tensor; // (C, H)
  invFreq: Tensor; // (HS/2) f32 RoPE inverse frequencies: not a checkpoint tensor; layers may share one
  window: number; // attention window in keys: sliding_window on sliding layers, 0 (full causal) otherwise
}

export interface ModelParams {
  precision: WeightPrecision;
  wte: Tensor[]; // (V, C) at the precision, in row blocks (row-blocks.ts); one unless it exceeds a buffer
  lmHead: Tensor[]; // (V, C) likewise; the same tensors as wte when embeddings are tied
  norm: Tensor; // (C) final norm
  layers: LayerParams[]; // (L)
}

export interface UploadOptions {
  signal?: AbortSignal;
  /** Called after each tensor: done of total tensors. Quantizing a large model takes seconds. */
  onProgress?: (done: number, total: number) => void;
}

export async function uploadParams(
  backend: Backend,
  cfg: ModelConfig,
  src: TensorReader,
  precision: WeightPrecision,
  opts: UploadOptions = {},
): Promise<ModelParams> {
  // Before any upload: fail at once, by name; which tables are stored in row blocks.
  const split = checkBackendLimits(cfg, precision, backend.limits);
  const family = FAMILIES[cfg.modelType];
  const f = Math.fround;
  // The attention op scales scores by HS^-0.5; gemma3 wants query_pre_attn_scalar^-0.5. q_norm's output
  // times s = attnScale·√HS gives exactly that: RoPE is linear, so rope(s·q)·k = s·(rope(q)·k), exact up
  // to f32 rounding of the folded weight. (Every family with query_pre_attn_scalar has q_norm.)
  const qScale = family.queryPreAttnScalar ? cfg.attnScale * Math.sqrt(cfg.headDim) : 1;
  const qNorms = new Set(cfg.layerKinds.map((_, i) => layerNames(i, family).qNorm));
  const kindOf = tensorKinds(cfg);

  /** Checkpoint tensor → backend data: weights at the precision (f16 checkpoints' halves kept as they
   *  are), norms w' = offset + w (Gemma: 1 + w, in f32 as transformers adds it) times q_norm's scale. */
  const encode = async (name: string): Promise<HostData> => {
    const kind = kindOf.get(name)!;
    if (takesPrecision(kind) && precision === 'f16') {
      const t = await src.get(name);
      return { dtype: 'f16', data: t.dtype === 'f16' ? t.data : encodeF16(t.data) };
    }
    if (takesPrecision(kind) && src.getRows) {
      const w = await src.getRows(name); // a streamed file: no whole f32 copy of a half-precision weight
      return encodeWeightRows(w.rows, w.shape[0], w.shape[1], precision);
    }
    const t = await src.getF32(name);
    if (takesPrecision(kind)) return encodeWeight(t.data, t.shape[0], t.shape[1], precision);
    const scale = qNorms.has(name) ? qScale : 1;
    if (kind !== 'norm' || (family.normOffset === 0 && scale === 1)) return { dtype: 'f32', data: t.data };
    return { dtype: 'f32', data: t.data.map((w) => f(f(family.normOffset + w) * f(scale))) };
  };

  const uploaded: Tensor[] = [];
  const byName = new Map<string, Tensor[]>(); // each tensor's row blocks; one for most
  const names = [...parameterTable(cfg).keys()];
  try {
    // In the order the source holds them: a streamed file hands each tensor over as it arrives.
    for (const name of src.order?.(names) ?? names) {
      const [rows, C] = src.shape(name)!;
      const host = await encode(name);
      const blocks: Tensor[] = [];
      let first = 0;
      for (const n of split.get(name) ?? [rows]) {
        const part = n === rows ? host : sliceRows(host, C, first, n);
        const t = backend.upload(n === rows ? src.shape(name)! : [n, C], part);
        uploaded.push(t);
        blocks.push(t);
        first += n;
      }
      byName.set(name, blocks);
      opts.onProgress?.(byName.size, names.length);
      // Yield between tensors so the worker can see an abort and post progress.
      await new Promise((r) => setTimeout(r, 0));
      throwIfAborted(opts.signal, 'uploadParams');
    }
    // One RoPE table per layer kind in use (gemma3: sliding and full layers have their own).
    const invFreqs = new Map<LayerKind, Tensor>();
    for (const kind of new Set(cfg.layerKinds)) {
      const spec = cfg.rope[kind];
      const data = scaledInvFreq(spec, ropeInvFreq(cfg.headDim, spec.theta));
      const t = backend.upload([cfg.headDim / 2], { dtype: 'f32', data });
      uploaded.push(t);
      invFreqs.set(kind, t);
    }
    const get = (name: string) => byName.get(name)![0];
    const optional = (name: string) => byName.get(name)?.[0] ?? null;
    const wte = byName.get(EMBED)!;
    const layers: LayerParams[] = [];
    for (let i = 0; i < cfg.numLayers; i++) {
      const n = layerNames(i, family);
      layers.push({
        inputNorm: get(n.inputNorm),
        q: get(n.q),
        k: get(n.k),
        v: get(n.v),
        o: get(n.o),
        qBias: optional(n.qBias),
        kBias: optional(n.kBias),
        vBias: optional(n.vBias),
        oBias: optional(n.oBias),
        qNorm: optional(n.qNorm),
        kNorm: optional(n.kNorm),
        attnOutNorm: optional(n.attnOutNorm),
        mlpNorm: get(n.mlpNorm),
        mlpOutNorm: optional(n.mlpOutNorm),
        gate: get(n.gate),
        up: get(n.up),
        down: get(n.down),
        invFreq: invFreqs.get(cfg.layerKinds[i])!,
        window: cfg.layerKinds[i] === 'sliding' ? cfg.slidingWindow! : 0,
      });
    }
    const lmHead = cfg.tieWordEmbeddings ? wte : byName.get(LM_HEAD)!;
    return { precision, wte, lmHead, norm: get(FINAL_NORM), layers };
  } catch (e) {
    for (const t of uploaded) backend.free(t);
    throw e;
  }
}

/** Every distinct parameter tensor (a tied LM head is the embedding, counted once); not the RoPE tables. */
export function paramTensors(p: ModelParams): Set<Tensor> {
  const all = new Set<Tensor>([...p.wte, ...p.lmHead, p.norm]);
  for (const { invFreq: _, window: _window, ...l } of p.layers) {
    for (const t of Object.values(l)) if (t) all.add(t);
  }
  return all;
}

export function freeParams(backend: Backend, p: ModelParams): void {
  const ropeTables = new Set(p.layers.map((l) => l.invFreq));
  for (const t of [...paramTensors(p), ...ropeTables]) backend.free(t);
}
