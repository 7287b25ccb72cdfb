// trainEdit's settling of the trained change on the toy model: the f16-rounded change when it keeps the
// batch loss, the f32 change when it does not; either way Wm[:, cols] is `before` plus exactly the
// returned delta, so deleting the edit subtracts what training added.
import { describe, expect, it } from 'vitest';
import { uniformArray } from '../../lib/random';
import { defaultMemoirConfig } from './config';
import { deltaValues } from './delta';
import { ResidualMemory } from './memory';
import type { EditableModel, EditSequence, MemoryHook } from './model';
import { ToyModel } from './toy-model';
import { editBatch, trainEdit } from './trainer';

const BACKGROUND = ['rivers carry water down to the sea', 'a small bird sang in the old garden'];
/** Three updates whatever the loss: four loss evaluations while training, the fifth is the settling one. */
const STEPS = 3;

/** The toy model whose fifth loss evaluation (the one with the rounded change) reports `factor` × loss. */
function scoredAfterRounding(factor: number): { model: EditableModel; losses: number[] } {
  const toy = new ToyModel();
  const losses: number[] = [];
  const model = Object.create(toy) as EditableModel;
  model.editLossAndGrad = async (batch: readonly EditSequence[], hook: MemoryHook) => {
    const r = await toy.editLossAndGrad(batch, hook);
    const loss = losses.length === STEPS + 1 ? r.loss * factor : r.loss;
    losses.push(loss);
    return { ...r, loss };
  };
  return { model, losses };
}

async function trained(factor: number) {
  const { model, losses } = scoredAfterRounding(factor);
  const { C, H } = model.dims;
  const cfg = {
    ...defaultMemoirConfig({ layers: 1, H }, 'last-zscore'),
    prefixCopies: 1,
    maxSteps: STEPS,
    stopLoss: 0,
  };
  const memory = new ResidualMemory(C, H);
  const cols = Int32Array.from({ length: cfg.k }, (_, j) => 4 * j);
  memory.scatter(cols, uniformArray(C * cfg.k, 3, 0.1)); // an earlier edit's values under this one
  const before = memory.gather(cols);
  const batch = editBatch(model, 'the tallest tower stands in', 'lima', BACKGROUND, cfg, 1);
  const out = await trainEdit(model, memory, cfg, cols, batch);
  const values = deltaValues(out.delta);
  const placed = before.map((b, i) => b + values[i]);
  return { ...out, losses, placed, after: memory.gather(cols) };
}

describe('trainEdit settles the change', () => {
  it('to f16 when the rounded change keeps the batch loss, and adds exactly it', async () => {
    const { delta, result, losses, placed, after } = await trained(1);
    expect(losses).toHaveLength(STEPS + 2);
    expect(delta.dtype).toBe('f16');
    expect(result.updates).toBe(STEPS);
    expect(result.loss).toBe(losses[STEPS + 1]); // the stored change's loss
    expect(after).toEqual(placed);
  });

  it('to the f32 change when rounding raises the loss by more than 1%', async () => {
    const { delta, result, losses, placed, after } = await trained(1.02);
    expect(delta.dtype).toBe('f32');
    expect(result.loss).toBe(losses[STEPS]); // the trained change's loss
    expect(after).toEqual(placed);
  });

  it('keeps f16 within the 1%', async () => {
    expect((await trained(1.009)).delta.dtype).toBe('f16');
  });
});
