// What a known hub model downloads and takes in memory at each precision, from its config.json dims
// alone (registry.ts), and whether this adapter's buffer limits let it load: the engine's own plan
// (modelMemoryPlan) and check (checkBackendLimits), so the figures are what a load would upload.
// Pure; not the download itself nor activations/KV cache (per prompt).
import type { BackendLimits } from '../../engine/backend';
import { EngineError } from '../../engine/errors';
import { checkBackendLimits, modelMemoryPlan } from '../../engine/model/memory-plan';
import { parseConfig } from '../../models/config';
import type { WeightPrecision } from '../../engine/quantize';
import type { KnownModel } from '../../models/registry';

export const PRECISIONS: readonly WeightPrecision[] = ['f32', 'f16', 'q8', 'q4'];

export interface PrecisionFit {
  precision: WeightPrecision;
  /** Parameter bytes on the backend (weights, scales, norms, RoPE tables). */
  bytes: number;
  /** Why this adapter would refuse it (the engine's OOM message), or null when it fits. */
  refusal: string | null;
}

export interface KnownSizes {
  parameters: number;
  /** model.safetensors at the repo's torch_dtype (with a stored tied head), without its JSON header. */
  downloadBytes: number;
  fits: PrecisionFit[];
}

/** `limits` null: no WebGPU adapter known (the CPU takes anything that fits in memory). */
export function knownModelSizes(model: KnownModel, limits: BackendLimits | null): KnownSizes {
  const cfg = parseConfig(model.config, `${model.repo}/config.json`);
  // f32 stores each parameter in 4 bytes; the RoPE tables are computed, not downloaded.
  const f32 = modelMemoryPlan(cfg, 'f32');
  const parameters = f32.tensors.filter((t) => t.kind !== 'rope').reduce((n, t) => n + t.bytes / 4, 0);
  const fits = PRECISIONS.map((precision) => {
    let refusal: string | null = null;
    try {
      if (limits) checkBackendLimits(cfg, precision, limits);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      refusal = e.message;
    }
    return { precision, bytes: modelMemoryPlan(cfg, precision).totalBytes, refusal };
  });
  const bytesPerParam = model.config.torch_dtype === 'bfloat16' ? 2 : 4;
  const stored = parameters + (model.storesTiedHead ? cfg.vocabSize * cfg.hiddenSize : 0);
  return { parameters, downloadBytes: stored * bytesPerParam, fits };
}

/** 269030016 → "269 MB": decimal units, as the hub shows file sizes. */
export function formatBytes(bytes: number): string {
  const [unit, scale] = bytes >= 1e9 ? ['GB', 1e9] : bytes >= 1e6 ? ['MB', 1e6] : ['kB', 1e3];
  const x = bytes / scale;
  return `${x.toFixed(x < 10 ? 1 : 0)} ${unit}`;
}
