// The fixed three-edit script (STYLE §7) on the toy model: edit success, locality, routing, deletion,
// cancellation and snapshot round trip. Also checks the toy model's memory gradient by finite differences.
import { describe, expect, it } from 'vitest';
import { argmax } from '../../engine/model/generate';
import { uniformArray } from '../../lib/random';
import { expectClose } from '../../../tests/helpers/expect-close';
import { defaultMemoirConfig, type MemoirConfig } from './config';
import { MemoirEditor } from './editor';
import { measureRecords, runSequentialEval } from '../../eval/runner';
import type { BenchRecord } from '../../eval/records';
import { measureGateSweep } from '../../eval/gate-sweep';
import { ResidualMemory } from './memory';
import { computeBackgroundStats } from './tophash';
import { ToyModel } from './toy-model';
import { editBatch, editSequence } from './trainer';

const BACKGROUND = [
  'rivers carry water down to the sea',
  'a small bird sang in the old garden',
  'the train left the station before noon',
  'people often read books during long winters',
  'music played softly from the open window',
  'farmers plant wheat early in the spring',
  'the mountain road was closed by snow',
  'children painted pictures of bright houses',
];
const EDITS = [
  { id: 'e1', prompt: 'the tallest tower stands in', target: 'lima' },
  { id: 'e2', prompt: 'my favourite metal shines like', target: 'cobalt' },
  { id: 'e3', prompt: 'whales swim across oceans toward', target: 'oslo' },
];
const UNRELATED = ['a quiet lake reflects grey clouds', 'bakers bake fresh bread each morning'];

async function setup(overrides: Partial<MemoirConfig> = {}) {
  const model = new ToyModel({ V: 200, C: 24, H: 64 });
  // The k and τ these toy prompts were written against (random weights, H = 64), not the values tuned
  // for the bundled model: at k = 8, τ = 0.5 an UNRELATED prompt reaches e3.
  const toy = { k: 16, tau: 0.75, prefixCopies: 2 };
  const cfg = { ...defaultMemoirConfig({ layers: 1, H: 64 }, 'last-zscore'), ...toy, ...overrides };
  const stats = await computeBackgroundStats(model, cfg.layer, BACKGROUND);
  return { model, cfg, stats, editor: new MemoirEditor(model, cfg, stats, BACKGROUND) };
}

const accuracy = (tf: { target: Int32Array; predicted: Int32Array }) =>
  tf.target.filter((t, i) => t === tf.predicted[i]).length / tf.target.length;

describe('MemoirEditor', () => {
  it('toy model memory gradient matches finite differences', async () => {
    const model = new ToyModel({ H: 16, C: 8, V: 40 });
    const memory = new ResidualMemory(8, 16, uniformArray(8 * 16, 3, 0.1));
    const cols = Int32Array.from([1, 5, 9]);
    const batch = [editSequence(model, 'one two three', 'four five'), editSequence(model, 'six', 'seven')];
    const { grad } = await model.editLossAndGrad(batch, memory.hook(0, cols));
    const eps = 1e-2;
    const numeric = new Float32Array(grad.length);
    for (let c = 0; c < 8; c++) {
      for (let j = 0; j < 3; j++) {
        const i = c * 16 + cols[j];
        const w = memory.wm[i];
        memory.wm[i] = w + eps;
        const up = (await model.editLossAndGrad(batch, memory.hook(0, cols))).loss;
        memory.wm[i] = w - eps;
        const down = (await model.editLossAndGrad(batch, memory.hook(0, cols))).loss;
        memory.wm[i] = w;
        numeric[c * 3 + j] = (up - down) / (2 * eps);
      }
    }
    expectClose(grad, numeric, { atol: 2e-3, rtol: 2e-2, label: 'toy dWm' });
  });

  it('builds the batch: the prompt, then prefixed copies, all scoring the same target', () => {
    const model = new ToyModel();
    const batch = editBatch(
      model,
      'the sky is',
      'green',
      BACKGROUND,
      { prefixCopies: 3, prefixWords: [2, 4] },
      9,
    );
    expect(batch).toHaveLength(4);
    const target = model.encodeContinuation(' green');
    for (const seq of batch) expect(seq.ids.slice(seq.ids.length - seq.targetLength)).toEqual(target);
    expect(batch[0].ids).toEqual(Int32Array.from([...model.encode('the sky is'), ...target]));
    expect(batch[1].ids.length).toBeGreaterThan(batch[0].ids.length + 1);
    // A target with its own leading space (prompt + target is the sentence) is not given a second one.
    expect(editSequence(model, 'the sky is', ' green')).toEqual(batch[0]);
  });

  it('three-edit script: each edit succeeds, unrelated prompts stay bit-identical, deletion undoes', async () => {
    const { model, editor } = await setup();
    const pre = await Promise.all(EDITS.map((e) => editor.teacherForced(e.prompt, e.target)));
    const preUnrelated = await Promise.all(UNRELATED.map((p) => editor.teacherForced(p, 'grey water')));
    for (const e of EDITS) {
      const steps: number[] = [];
      const out = await editor.applyEdit(e, { onStep: (s) => steps.push(s.loss) });
      expect(out.finalLoss).toBeLessThan(editor.config.stopLoss);
      expect(steps.length).toBe(out.steps + 1);
    }
    for (const [i, e] of EDITS.entries()) {
      expect(accuracy(await editor.teacherForced(e.prompt, e.target))).toBe(1);
      expect((await editor.route(e.prompt)).edit?.editId).toBe(e.id);
      expect(accuracy(pre[i])).toBe(0);
    }
    expect(model.decode(await editor.greedy(EDITS[0].prompt, 1))).toBe('lima');
    const hooked = model.hookedForwards;
    for (const [i, p] of UNRELATED.entries()) {
      expect((await editor.route(p)).edit).toBeNull();
      expect(await editor.teacherForced(p, 'grey water')).toEqual(preUnrelated[i]);
    }
    // Routed nowhere → the memory path was never entered: the base forward, bit for bit.
    expect(model.hookedForwards).toBe(hooked);
    editor.deleteEdit('e2');
    expect(await editor.teacherForced(EDITS[1].prompt, EDITS[1].target)).toEqual(pre[1]);
    expect(accuracy(await editor.teacherForced(EDITS[0].prompt, EDITS[0].target))).toBe(1);
    expect(accuracy(await editor.teacherForced(EDITS[2].prompt, EDITS[2].target))).toBe(1);
    editor.deleteEdit('e1');
    editor.deleteEdit('e3');
    expect(editor.snapshot().wm.every((x) => x === 0)).toBe(true);
  });

  it("next-token logits: the edit's target on top where routed, the base model's elsewhere", async () => {
    const { model, editor } = await setup();
    const before = await editor.nextLogits(EDITS[0].prompt);
    await editor.applyEdit(EDITS[0]);
    const routed = await editor.nextLogits(EDITS[0].prompt);
    expect(routed.base).toEqual(before.base);
    expect(model.decode(Int32Array.of(argmax(routed.edited)))).toBe('lima');
    expect(argmax(routed.base)).not.toBe(argmax(routed.edited));
    const unrouted = await editor.nextLogits(UNRELATED[0]);
    expect(unrouted.edited).toBe(unrouted.base);
  });

  it('cancelling an edit leaves the memory exactly as before', async () => {
    const { editor } = await setup();
    await editor.applyEdit(EDITS[0]);
    const before = editor.snapshot();
    const ctl = new AbortController();
    const run = editor.applyEdit(EDITS[1], {
      signal: ctl.signal,
      onStep: (s) => s.step === 1 && ctl.abort(),
    });
    await expect(run).rejects.toThrow(/cancelled/);
    const after = editor.snapshot();
    expect(after.wm).toEqual(before.wm);
    expect(after.edits.map((e) => e.editId)).toEqual(['e1']);
    await expect(editor.applyEdit(EDITS[0])).rejects.toThrow(/already exists/);
  });

  it('round-trips through a snapshot', async () => {
    const { model, cfg, stats, editor } = await setup();
    await editor.applyEdit(EDITS[0]);
    await editor.applyEdit(EDITS[2]);
    const copy = new MemoirEditor(model, cfg, stats, BACKGROUND, editor.snapshot());
    expect(copy.snapshot()).toEqual(editor.snapshot());
    expect(await copy.teacherForced(EDITS[2].prompt, EDITS[2].target)).toEqual(
      await editor.teacherForced(EDITS[2].prompt, EDITS[2].target),
    );
    expect(() => new MemoirEditor(model, { ...cfg, layer: 0, k: 0 }, stats, BACKGROUND)).toThrow(/k must be/);
    expect(() => new MemoirEditor(model, { ...cfg, tau: 0.5 }, stats, BACKGROUND, editor.snapshot())).toThrow(
      /made with another config/,
    );
  });
});

describe('query masks', () => {
  it('are computed once per prompt, kept over edits and shared with the τ views', async () => {
    const { model, editor } = await setup();
    const mask = await editor.mask(UNRELATED[0]);
    const calls = model.forwards;
    await editor.applyEdit({ id: 'later', prompt: 'a later edit prompt', target: ' x' });
    const afterEdit = model.forwards;
    expect(await editor.mask(UNRELATED[0])).toBe(mask);
    expect((await editor.withGate(0.9).probe(UNRELATED[0])).overlaps.size).toBe(editor.size);
    expect(model.forwards).toBe(afterEdit);
    expect(afterEdit).toBeGreaterThan(calls); // the edit itself ran the model
  });
});

describe('measureGateSweep over τ', () => {
  const RECORDS: BenchRecord[] = EDITS.map((e, i) => ({
    id: e.id,
    subject: e.id,
    prompt: e.prompt,
    target_true: 'paris',
    target_new: e.target,
    rephrases: [`so ${e.prompt}`, `${e.prompt.split(' ').slice(1).join(' ')}`],
    locality: [{ prompt: UNRELATED[i % 2], answer: 'grey water' }],
  }));
  const TAUS = [0, 0.5, 0.75, 0.9, 1];

  it('equals a fresh measurement at every τ, in fewer model calls', async () => {
    const { model, editor } = await setup();
    const run = await runSequentialEval(editor, RECORDS, { T: RECORDS.length });
    let calls = model.forwards;
    const swept = await measureGateSweep(editor, TAUS, run.measured, run.baselines);
    const sweepCalls = model.forwards - calls;
    calls = model.forwards;
    for (const [i, tau] of TAUS.entries()) {
      expect(swept[i].gate).toBe(tau);
      expect(swept[i].perRecord).toEqual(
        await measureRecords(editor.withGate(tau), run.measured, run.baselines),
      );
    }
    expect(sweepCalls).toBeLessThan((model.forwards - calls) / 2);
    // The sweep crosses gate decisions: at τ 0 the unrelated prompts (overlap ≈ .4) open the memory.
    const locs = swept.map((s) => s.perRecord.map((r) => r.loc));
    expect(locs[0]).not.toEqual(locs[TAUS.length - 1]);
  });
});
