// One MEMOIR edit: SGD on the k masked columns of Wm, loss = cross-entropy on the target tokens of the
// edit prompt and of its copies behind random short prefixes, then the change settled to what the edit
// stores (f16 when that keeps the loss, delta.ts). Reports every step; a cancel or an error restores the
// columns bit for bit. Not the sequencing of edits or routing (editor.ts).

import { EngineError } from '../../engine/errors';
import { promptTarget } from '../../eval/teacher-forced';
import { mulberry32 } from '../../lib/random';
import type { MemoirConfig } from './config';
import { roundToF16, type Delta } from './delta';
import type { ResidualMemory } from './memory';
import type { EditableModel, EditSequence } from './model';

export interface EditStep {
  /** 0 = before the first update. */
  readonly step: number;
  /** Mean target cross-entropy of the batch at this step. */
  readonly loss: number;
  /** Geometric mean p(target token) on the unprefixed edit prompt. */
  readonly targetProb: number;
}

export interface TrainOptions {
  readonly signal?: AbortSignal;
  readonly onStep?: (s: EditStep) => void;
}

export interface TrainResult {
  /** SGD updates applied. */
  readonly updates: number;
  readonly loss: number;
  readonly targetProb: number;
  /** Whether the loss fell below cfg.stopLoss. */
  readonly converged: boolean;
}

/** How far rounding the trained change to f16 may raise the batch loss and still be stored: by 1% of the
 *  trained loss, or up to stopLoss when that is higher (a converged edit stays converged). */
const F16_LOSS_SLACK = 0.01;

/** context ++ target: the context as the tokenizer encodes it alone (BOS included), so the context tokens
 *  match what routing and inference see; the target continues it without BOS. A target that starts with
 *  whitespace is used as is (the bundled benchmark's " Paris" style, where prompt + target is the
 *  sentence); otherwise one space joins them (EasyEdit's prompt + " " + target). */
export function editSequence(model: EditableModel, context: string, target: string): EditSequence {
  return promptTarget(model, context, target, 'memoir');
}

/** The edit prompt plus `prefixCopies` copies behind "<words>. " prefixes: seeded windows of the
 *  background prompts (EasyEdit samples them from the model instead; see config.ts). */
export function editBatch(
  model: EditableModel,
  prompt: string,
  target: string,
  background: readonly string[],
  cfg: Pick<MemoirConfig, 'prefixCopies' | 'prefixWords'>,
  seed: number,
): EditSequence[] {
  const batch = [editSequence(model, prompt, target)];
  const words = background.map((p) => p.split(/\s+/).filter((w) => w.length > 0)).filter((w) => w.length > 0);
  if (cfg.prefixCopies > 0 && words.length === 0) {
    throw new EngineError('LOAD', 'memoir: random prefixes need background prompts, got none');
  }
  const next = mulberry32(seed);
  const [lo, hi] = cfg.prefixWords;
  for (let i = 0; i < cfg.prefixCopies; i++) {
    const source = words[Math.floor(next() * words.length)];
    const n = Math.min(source.length, lo + Math.floor(next() * (hi - lo + 1)));
    const start = Math.floor(next() * (source.length - n + 1));
    const prefix = source.slice(start, start + n).join(' ');
    batch.push(editSequence(model, `${prefix}. ${prompt}`, target));
  }
  return batch;
}

/** g ← g · clip / (‖g‖ + 1e-6) when ‖g‖ > clip (torch.nn.utils.clip_grad_norm_). */
function clipGradNorm(grad: Float32Array, clip: number): void {
  let sq = 0;
  for (let i = 0; i < grad.length; i++) sq += grad[i] * grad[i];
  const norm = Math.sqrt(sq);
  if (norm <= clip) return;
  const scale = clip / (norm + 1e-6);
  for (let i = 0; i < grad.length; i++) grad[i] *= scale;
}

/**
 * Train the columns `cols` of `memory` on `batch` until the loss < stopLoss or maxSteps updates, then
 * settle the change (settle()): Wm[:, cols] is left at `before` + the returned delta, exactly.
 * Deviation from the paper's optimizer (torch SGD over the whole Wm): weight decay acts only on the k
 * trained columns. The whole-matrix decay would shrink every older edit by (1 − lr·wd) per step (×0.74 after
 * 30,000 steps) and makes deleting an edit inexact; on the trained columns the update is the same.
 */
export async function trainEdit(
  model: EditableModel,
  memory: ResidualMemory,
  cfg: MemoirConfig,
  cols: Int32Array,
  batch: readonly EditSequence[],
  opts: TrainOptions = {},
): Promise<{ delta: Delta; result: TrainResult }> {
  const before = memory.gather(cols);
  try {
    const trained = await descend(model, memory, cfg, cols, batch, opts);
    return await settle(model, memory, cfg, cols, batch, before, trained);
  } catch (e) {
    memory.scatter(cols, before);
    throw e;
  }
}

/** SGD until the loss < stopLoss or maxSteps updates. */
async function descend(
  model: EditableModel,
  memory: ResidualMemory,
  cfg: MemoirConfig,
  cols: Int32Array,
  batch: readonly EditSequence[],
  opts: TrainOptions,
): Promise<TrainResult> {
  let updates = 0;
  for (;;) {
    if (opts.signal?.aborted) throw new EngineError('CANCELLED', 'memoir edit: cancelled');
    const { loss, grad, targetProb } = await model.editLossAndGrad(batch, memory.hook(cfg.layer, cols));
    if (!Number.isFinite(loss)) {
      throw new EngineError(
        'SHAPE',
        `memoir edit: loss became ${loss} at step ${updates}`,
        'lower lr in the MEMOIR config',
      );
    }
    opts.onStep?.({ step: updates, loss, targetProb });
    const converged = loss < cfg.stopLoss;
    if (converged || updates === cfg.maxSteps) return { updates, loss, targetProb, converged };
    clipGradNorm(grad, cfg.clipNorm);
    memory.sgdStep(cols, grad, cfg.lr, cfg.weightDecay);
    updates++;
  }
}

/** What the edit stores: its trained change Wm[:, cols] − before (C, k) rounded to f16 when every value
 *  is in f16's range and the batch loss with the rounded change stays within F16_LOSS_SLACK (one more
 *  loss evaluation), else the f32 change. Wm[:, cols] becomes before + that delta, so what is stored is
 *  exactly what was added; the result's loss and p(target) are those of the rounded change when it is
 *  kept (of the trained Wm, to f32 rounding, otherwise). */
async function settle(
  model: EditableModel,
  memory: ResidualMemory,
  cfg: MemoirConfig,
  cols: Int32Array,
  batch: readonly EditSequence[],
  before: Float32Array,
  trained: TrainResult,
): Promise<{ delta: Delta; result: TrainResult }> {
  const exact = memory.gather(cols).map((w, i) => w - before[i]); // (C, k)
  const half = roundToF16(exact);
  if (half) {
    memory.place(cols, before, half);
    const { loss, targetProb } = await model.editLossAndGrad(batch, memory.hook(cfg.layer, cols));
    if (loss <= Math.max(trained.loss * (1 + F16_LOSS_SLACK), cfg.stopLoss)) {
      return { delta: half, result: { ...trained, loss, targetProb } };
    }
  }
  const delta: Delta = { dtype: 'f32', values: exact };
  memory.place(cols, before, delta);
  return { delta, result: trained };
}
