// MEMOIR on the engine's tiny random Llama (CPU backend) through EngineEditableModel: the fixed
// three-edit script (edit success, locality, deletion), the adapter's gradient against finite
// differences of its own loss, and cancellation.
import { describe, expect, it } from 'vitest';
import '../../engine/cpu/backend';
import { createBackend } from '../../engine/backend';
import { expectClose } from '../../../tests/helpers/expect-close';
import { tinyModel } from '../../../tests/helpers/tiny-model';
import { defaultMemoirConfig } from './config';
import { MemoirEditor } from './editor';
import type { TextCodec } from '../../models/codec';
import { EngineEditableModel } from './engine-adapter';
import { ResidualMemory } from './memory';
import { computeBackgroundStats } from './tophash';
import { editBatch } from './trainer';

/** Word-level codec onto the tiny model's 64 ids (BOS = 1, EOS = 2 never produced by encode). */
function wordCodec(): TextCodec {
  const ids = new Map<string, number>();
  return {
    encode(text, special) {
      const words = text.split(/[\s.]+/).filter((w) => w.length > 0);
      const out = words.map((w) => {
        if (!ids.has(w)) ids.set(w, 3 + ids.size);
        return ids.get(w)!;
      });
      if (out.some((i) => i >= 64)) throw new Error('wordCodec: vocabulary full');
      return Int32Array.from(special ? [1, ...out] : out);
    },
    decode: (seq) => Array.from(seq, (i) => [...ids].find(([, v]) => v === i)?.[0] ?? `<${i}>`).join(' '),
  };
}

const BACKGROUND = [
  'rivers run to seas',
  'birds sing in gardens',
  'trains leave at noon',
  'people read old books',
];
const EDITS = [
  { id: 'a', prompt: 'tall towers stand in', target: 'lima' },
  { id: 'b', prompt: 'bright metal shines like', target: 'cobalt' },
  { id: 'c', prompt: 'whales swim toward', target: 'oslo' },
];

async function setup() {
  const b = await createBackend('cpu');
  const transformer = await tinyModel(b, { C: 16, H: 64, L: 2, V: 64 });
  const model = new EngineEditableModel('tiny', transformer, wordCodec());
  const cfg = { ...defaultMemoirConfig({ layers: 2, H: 64 }, 'last-zscore'), prefixCopies: 2 };
  const stats = await computeBackgroundStats(model, cfg.layer, BACKGROUND);
  return { model, cfg, editor: new MemoirEditor(model, cfg, stats, BACKGROUND) };
}

describe('EngineEditableModel (cpu)', () => {
  it('gradient matches finite differences of its loss', async () => {
    const { model, cfg } = await setup();
    const memory = new ResidualMemory(16, 64);
    const cols = Int32Array.from([3, 9, 17, 40]);
    const batch = editBatch(
      model,
      'tall towers stand in',
      'lima',
      BACKGROUND,
      { ...cfg, prefixCopies: 1 },
      3,
    );
    memory.scatter(
      cols,
      Float32Array.from({ length: 16 * 4 }, (_, i) => Math.sin(i) * 0.2),
    );
    const { grad, loss } = await model.editLossAndGrad(batch, memory.hook(cfg.layer, cols));
    const eps = 1e-2;
    const numeric: number[] = [];
    const got: number[] = [];
    for (const i of [0, 5, 22, 63]) {
      const block = memory.gather(cols);
      const lossWith = async (d: number) => {
        const moved = block.slice();
        moved[i] += d;
        memory.scatter(cols, moved);
        return (await model.editLossAndGrad(batch, memory.hook(cfg.layer, cols))).loss;
      };
      numeric.push(((await lossWith(eps)) - (await lossWith(-eps))) / (2 * eps));
      memory.scatter(cols, block);
      got.push(grad[i]);
    }
    expect(loss).toBeGreaterThan(0);
    expectClose(got, numeric, { atol: 2e-3, rtol: 3e-2, label: 'adapter dWm' });
    model.dispose();
  });

  it('three-edit script: success, locality, deletion, cancel', async () => {
    const { model, editor } = await setup();
    const pre = await Promise.all(EDITS.map((e) => editor.teacherForced(e.prompt, e.target)));
    const unrelated = 'people read books at noon';
    const preUnrelated = await model.logits(model.encode(unrelated), null);
    for (const e of EDITS) await editor.applyEdit(e);
    for (const e of EDITS) {
      const tf = await editor.teacherForced(e.prompt, e.target);
      expect(tf.predicted).toEqual(tf.target);
      expect(await editor.greedy(e.prompt, tf.target.length)).toEqual(tf.target);
    }
    expect((await editor.route(unrelated)).edit).toBeNull();
    expect(await model.logits(model.encode(unrelated), null)).toEqual(preUnrelated);

    editor.deleteEdit('b');
    expect(await editor.teacherForced(EDITS[1].prompt, EDITS[1].target)).toEqual(pre[1]);
    const c = await editor.teacherForced(EDITS[2].prompt, EDITS[2].target);
    expect(c.predicted).toEqual(c.target);

    const before = editor.snapshot().wm;
    const ctl = new AbortController();
    const run = editor.applyEdit(EDITS[1], { signal: ctl.signal, onStep: () => ctl.abort() });
    await expect(run).rejects.toThrow(/cancelled/);
    expect(editor.snapshot().wm).toEqual(before);
    model.dispose();
  });

  it('a cancel that arrives as a separate task (a worker message) stops a CPU edit', async () => {
    const { model, editor } = await setup();
    const ctl = new AbortController();
    const steps: number[] = [];
    const run = editor.applyEdit(
      { ...EDITS[0], target: 'cobalt oslo lima' },
      { signal: ctl.signal, onStep: (s) => steps.push(s.step) },
    );
    // Queued as its own task, as a cancel message is: the CPU backend computes synchronously, so this
    // only runs if the training hands the thread back between steps.
    setTimeout(() => ctl.abort(), 0);
    await expect(run).rejects.toThrow(/cancelled/);
    expect(steps.length).toBeLessThan(editor.config.maxSteps);
    expect(editor.size).toBe(0);
    model.dispose();
  });
});
