// Backend-agnostic suite for tables split by rows (src/engine/model/row-blocks.ts): a tiny model loaded
// under injected buffer limits, so that its embedding (and untied LM head) is stored in 4 row blocks,
// against the same model loaded whole on the same backend: logits (full forward, whose (T, V) logits
// the same limits make it compute in groups of rows, and KV-cache decode),
// greedy and sampled generation, and the edit path's loss and memory gradient (whose hidden-state
// gradient through the head is the sum over blocks), at f32 and q8, tied and untied. Registered by
// src/engine/model/row-blocks.test.ts (CPU) and src/engine/webgpu/row-blocks.gpu.test.ts.
import { expect, it } from 'vitest';
import { type Backend, type BackendLimits, tensorBuffers } from '../../src/engine/backend';
import { EditPass } from '../../src/engine/model/edit';
import { generate } from '../../src/engine/model/generate';
import type { Transformer } from '../../src/engine/model/transformer';
import type { WeightPrecision } from '../../src/engine/quantize';
import { expectClose } from './expect-close';
import { randn } from './random';
import { tinyModel, type TinySpec } from './tiny-model';

export interface SplitTolerances {
  logits: number; // atol between the split and the whole model's logits and losses
  grad: { atol: number; rtol: number }; // dWm: the head's backward sums per-block shares
}

/** The same backend seen with other limits: every op and tensor is the original's. */
export function withLimits(b: Backend, limits: BackendLimits): Backend {
  return Object.create(b, { limits: { value: limits } }) as Backend;
}

const C = 32;
const V = 501; // 4 blocks of 126, 125, 125, 125 rows: the boundaries at 126, 251 and 376
const ROWS_PER_BUFFER = 130;
// Ids on both sides of every block boundary, and targets in the first and last blocks.
const ids = Int32Array.from([1, 125, 126, 250, 251, 375, 376, 500, 7]);
const targets = Int32Array.from([-1, -1, -1, -1, -1, 130, 480, 2, -1]);
const cols = Int32Array.from([1, 5, 9, 20, 31, 40]);

async function pair(b: Backend, spec: TinySpec, precision: WeightPrecision) {
  const rowBytes = Math.max(...tensorBuffers([1, C], precision));
  const limit = ROWS_PER_BUFFER * rowBytes; // above every Linear weight of the spec: only the tables split
  const small = withLimits(b, { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: limit });
  return { whole: await tinyModel(b, spec, precision), split: await tinyModel(small, spec, precision) };
}

/** Loss and dWm (C, H) of one edit step with a seeded memory at layer 0. */
async function editStep(model: Transformer): Promise<{ loss: number; grad: Float32Array }> {
  const b = model.backend;
  const H = model.config.intermediateSize;
  const wm = b.upload([C, H], { dtype: 'f32', data: randn(C * H, 7, 0.3) });
  const colsT = b.upload([cols.length], { dtype: 'i32', data: cols });
  const dwm = b.alloc([C, H]);
  const pass = await EditPass.prepare(model, ids, targets, 0);
  try {
    const loss = await pass.step({ wm, cols: colsT }, { dwm });
    return { loss, grad: await b.download(dwm) };
  } finally {
    pass.free();
    for (const t of [wm, colsT, dwm]) b.free(t);
  }
}

/** Registers the tests; call inside a describe. */
export function splitSuite(makeBackend: () => Promise<Backend>, tol: SplitTolerances): void {
  it.each([
    ['f32', true],
    ['f32', false],
    ['q8', true],
    ['q8', false],
  ] as [WeightPrecision, boolean][])(
    '%s, tied %s: split tables give the whole model’s logits, tokens and edit gradient',
    async (precision, tied) => {
      const spec: TinySpec = { C, H: 64, V, NH: 2, NKV: 2, tied };
      const { whole, split } = await pair(await makeBackend(), spec, precision);
      try {
        const blocks = (ts: readonly { shape: readonly number[] }[]) => ts.map((t) => t.shape[0]);
        expect(blocks(split.params.wte)).toEqual([126, 125, 125, 125]);
        expect(blocks(split.params.lmHead)).toEqual([126, 125, 125, 125]);
        if (tied) expect(split.params.lmHead).toBe(split.params.wte);
        expect(whole.params.wte).toHaveLength(1);

        const label = `${precision} tied=${tied}`;
        const want = await whole.forward(ids, { allLogits: true });
        const got = await split.forward(ids, { allLogits: true });
        expectClose(got, want, { atol: tol.logits, rtol: 0, label: `logits ${label}` });
        const cache = split.newCache(16);
        await split.forward(ids.subarray(0, 5), { cache });
        for (let t = 5; t < ids.length; t++) {
          const step = await split.forward(ids.subarray(t, t + 1), { cache });
          expectClose(step, want.subarray(t * V, (t + 1) * V), {
            atol: tol.logits,
            rtol: 0,
            label: `decode t=${t}`,
          });
        }
        cache.free();

        for (const opts of [
          { maxNewTokens: 6, eosTokenIds: [] },
          { maxNewTokens: 6, eosTokenIds: [], temperature: 1, seed: 3 },
        ]) {
          const [a, c] = [await generate(whole, ids, opts), await generate(split, ids, opts)];
          expect(c.tokens, `${label} ${JSON.stringify(opts)}`).toEqual(a.tokens);
        }

        const [e0, e1] = [await editStep(whole), await editStep(split)];
        expectClose([e1.loss], [e0.loss], { atol: tol.logits, rtol: 0, label: `edit loss ${label}` });
        expect(e0.grad.some((g) => g !== 0)).toBe(true);
        expectClose(e1.grad, e0.grad, { ...tol.grad, label: `dWm ${label}` });
      } finally {
        whole.free();
        split.free();
      }
    },
  );
}
