// MEMOIR background statistics shipped with a bundled model (public/models/<name>/memoir-background.json,
// written by tools/foundry/memoir-background.ts with the app's own computeBackgroundStats), so a first
// visit skips computing them. Only the file's format and its checks live here; the worker falls back to
// computing whenever a shipped file is absent or does not match the loaded model and prompts.
import type { BackgroundStats, PooledStats } from '../editors/memoir/tophash';
import type { Pooling } from '../editors/memoir/config';
import { fetchAppJson } from '../lib/app-json';
import { describeSource, fileUrl, type ModelSource } from '../models/hub';
import { BUNDLED_BASE_URL } from '../models/registry';

export const SHIPPED_BACKGROUND_FILE = 'memoir-background.json';
/** The bundled models' manifest (tools/foundry/manifest.mjs): sha256 of every file it ships. */
const MANIFEST_URL = `${BUNDLED_BASE_URL}/manifest.json`;
export const WEIGHTS_FILE = 'model.safetensors';
const FORMAT = 'editscope-memoir-background/1';

/** The file: which weights (their manifest sha256), which prompts (sha256 of their JSON text) and which
 *  layer the statistics were made from, then per pooling the mean and std (H) as plain numbers. */
export interface ShippedBackground {
  format: typeof FORMAT;
  modelId: string;
  weights: { file: string; sha256: string };
  layer: number;
  H: number;
  prompts: number;
  promptsSha256: string;
  byPooling: Record<Pooling, { mean: number[]; std: number[] }>;
}

/** What the loaded model and the app's prompts must match for the shipped statistics to be used. */
export interface ShippedExpectation {
  modelId: string;
  layer: number;
  H: number;
  prompts: readonly string[];
  /** sha256 of the weights file as the models manifest records it. */
  weightsSha256: string | undefined;
}

export async function promptsSha256(prompts: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(prompts));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function encodeShippedBackground(
  stats: BackgroundStats,
  meta: { modelId: string; weights: { file: string; sha256: string }; prompts: readonly string[] },
): Promise<ShippedBackground> {
  const plain = (p: PooledStats) => ({ mean: Array.from(p.mean), std: Array.from(p.std) });
  return {
    format: FORMAT,
    modelId: meta.modelId,
    weights: meta.weights,
    layer: stats.layer,
    H: stats.H,
    prompts: stats.prompts,
    promptsSha256: await promptsSha256(meta.prompts),
    byPooling: { mean: plain(stats.byPooling.mean), last: plain(stats.byPooling.last) },
  };
}

/** The shipped statistics as the app's BackgroundStats (for `modelIdNow`), or why they do not apply:
 *  another model, weights, layer, width or prompt list, or numbers that are missing or not finite. */
export async function decodeShippedBackground(
  raw: unknown,
  want: ShippedExpectation,
): Promise<{ stats: BackgroundStats } | { mismatch: string }> {
  const file = raw as Partial<ShippedBackground> | null;
  if (!file || file.format !== FORMAT) return { mismatch: `format is not ${FORMAT}` };
  const checks: [string, unknown, unknown][] = [
    ['modelId', file.modelId, want.modelId],
    ['weights sha256', file.weights?.sha256, want.weightsSha256],
    ['layer', file.layer, want.layer],
    ['H', file.H, want.H],
    ['prompts', file.prompts, want.prompts.length],
    ['prompts sha256', file.promptsSha256, await promptsSha256(want.prompts)],
  ];
  for (const [what, shipped, now] of checks) {
    if (shipped !== now) return { mismatch: `${what} is ${String(shipped)}, the app has ${String(now)}` };
  }
  const pooled = (pooling: Pooling): PooledStats | string => {
    const p = file.byPooling?.[pooling];
    for (const part of ['mean', 'std'] as const) {
      const values = p?.[part];
      if (!Array.isArray(values) || values.length !== want.H)
        return `${pooling}.${part} is not ${want.H} numbers`;
      if (!values.every((v) => typeof v === 'number' && Number.isFinite(v)))
        return `${pooling}.${part} is not finite`;
    }
    return { mean: Float32Array.from(p!.mean), std: Float32Array.from(p!.std) };
  };
  const mean = pooled('mean');
  const last = pooled('last');
  if (typeof mean === 'string') return { mismatch: mean };
  if (typeof last === 'string') return { mismatch: last };
  return {
    stats: {
      modelId: want.modelId,
      layer: want.layer,
      H: want.H,
      prompts: want.prompts.length,
      byPooling: { mean, last },
    },
  };
}

/** The statistics shipped with a bundled model, or null when the source is not bundled, ships none,
 *  or ships ones that do not match (said on the console, since the worker then computes them). */
export async function loadShippedBackground(
  source: ModelSource,
  layer: number,
  H: number,
  prompts: readonly string[],
): Promise<BackgroundStats | null> {
  if (source.kind !== 'local' || source.base !== BUNDLED_BASE_URL) return null;
  const url = fileUrl(source, SHIPPED_BACKGROUND_FILE);
  const response = await fetch(url);
  if (!response.ok) return null;
  const manifest = (await fetchAppJson(MANIFEST_URL)) as { files?: Record<string, { sha256?: string }> };
  const decoded = await decodeShippedBackground(await response.json(), {
    modelId: describeSource(source),
    layer,
    H,
    prompts,
    weightsSha256: manifest.files?.[`public/models/${source.repo}/${WEIGHTS_FILE}`]?.sha256,
  });
  if ('stats' in decoded) return decoded.stats;
  console.warn(`memoir: ${url} does not apply (${decoded.mismatch}); computing the statistics instead`);
  return null;
}
