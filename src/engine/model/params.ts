// Uploads a checkpoint's tensors to a Backend at the chosen precision. Linear weights (q/k/v/o,
// gate/up/down, an untied lm_head) take the precision; norms, biases and the embedding stay f32, and
// a tied LM head is the embedding itself. Not the checkpoint parsing (src/models) nor the forward.

import type { Backend, Tensor } from '../backend';
import { throwIfAborted } from '../errors';
import type { ModelConfig } from '../../models/config';
import { ropeInvFreq } from '../rope-freq';
import { encodeF16, encodeWeight, type WeightPrecision } from '../../models/quantize';
import { EMBED, FINAL_NORM, LM_HEAD, layerNames, type TensorSource } from '../../models/weights';

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
  postNorm: Tensor; // (C)
  gate: Tensor; // (H, C)
  up: Tensor; // (H, C)
  down: Tensor; // (C, H)
  invFreq: Tensor; // (HS/2) f32 RoPE inverse frequencies: not a checkpoint tensor; layers may share one
}

export interface ModelParams {
  precision: WeightPrecision;
  wte: Tensor; // (V, C) f32
  lmHead: Tensor; // (V, C); the same tensor as wte when embeddings are tied
  norm: Tensor; // (C)
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
  src: TensorSource,
  precision: WeightPrecision,
  opts: UploadOptions = {},
): Promise<ModelParams> {
  const uploaded: Tensor[] = [];
  const total = 3 + cfg.numLayers * 13;
  let done = 0;
  // Yield between tensors so the worker can see an abort and post progress.
  const step = async () => {
    opts.onProgress?.(++done, total);
    await new Promise((r) => setTimeout(r, 0));
    throwIfAborted(opts.signal, 'uploadParams');
  };
  const f32 = async (name: string): Promise<Tensor> => {
    const t = src.getF32(name);
    const out = backend.upload(t.shape, { dtype: 'f32', data: t.data });
    uploaded.push(out);
    await step();
    return out;
  };
  const linear = async (name: string): Promise<Tensor> => {
    let out: Tensor;
    if (precision === 'f16') {
      const t = src.get(name); // keep f16 checkpoints' halves as they are
      out = backend.upload(t.shape, { dtype: 'f16', data: t.dtype === 'f16' ? t.data : encodeF16(t.data) });
    } else {
      const t = src.getF32(name);
      out = backend.upload(t.shape, encodeWeight(t.data, t.shape[0], t.shape[1], precision));
    }
    uploaded.push(out);
    await step();
    return out;
  };
  const optional = async (use: boolean, name: string) => (use ? f32(name) : (await step(), null));

  try {
    const wte = await f32(EMBED);
    const norm = await f32(FINAL_NORM);
    const lmHead = cfg.tieWordEmbeddings ? (await step(), wte) : await linear(LM_HEAD);
    const invFreq = backend.upload([cfg.headDim / 2], {
      dtype: 'f32',
      data: ropeInvFreq(cfg.headDim, cfg.ropeTheta),
    });
    uploaded.push(invFreq);
    const layers: LayerParams[] = [];
    for (let i = 0; i < cfg.numLayers; i++) {
      const n = layerNames(i);
      layers.push({
        inputNorm: await f32(n.inputNorm),
        q: await linear(n.q),
        k: await linear(n.k),
        v: await linear(n.v),
        o: await linear(n.o),
        qBias: await optional(cfg.qkvBias, n.qBias),
        kBias: await optional(cfg.qkvBias, n.kBias),
        vBias: await optional(cfg.qkvBias, n.vBias),
        oBias: await optional(cfg.oBias, n.oBias),
        postNorm: await f32(n.postNorm),
        gate: await linear(n.gate),
        up: await linear(n.up),
        down: await linear(n.down),
        invFreq,
      });
    }
    return { precision, wte, lmHead, norm, layers };
  } catch (e) {
    for (const t of uploaded) backend.free(t);
    throw e;
  }
}

/** Every distinct parameter tensor (a tied LM head is the embedding, counted once); not the RoPE tables. */
export function paramTensors(p: ModelParams): Set<Tensor> {
  const all = new Set<Tensor>([p.wte, p.lmHead, p.norm]);
  for (const { invFreq: _, ...l } of p.layers) {
    for (const t of Object.values(l)) if (t) all.add(t);
  }
  return all;
}

export function freeParams(backend: Backend, p: ModelParams): void {
  const ropeTables = new Set(p.layers.map((l) => l.invFreq));
  for (const t of [...paramTensors(p), ...ropeTables]) backend.free(t);
}
