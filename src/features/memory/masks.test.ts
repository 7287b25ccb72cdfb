import { describe, expect, it } from 'vitest';
import { defaultMemoirConfig } from '../../editors/memoir/config';
import { MemoirEditor } from '../../editors/memoir/editor';
import { MaskRouter } from '../../editors/memoir/router';
import { computeBackgroundStats } from '../../editors/memoir/tophash';
import { ToyModel } from '../../editors/memoir/toy-model';
import { columnUse, intersectionSize, overlapMatrix, rankCollisions, sharingOf } from './masks';

const row = (id: string, cols: number[]) => ({ id, cols: Int32Array.from(cols) });

describe('memory view: masks by hand', () => {
  // H = 8, k = 3: a and b share columns 2 and 5, c shares 5 with both.
  const a = row('a', [0, 2, 5]);
  const b = row('b', [2, 5, 7]);
  const c = row('c', [1, 3, 5]);

  it('counts the edits using each column and summarises the sharing', () => {
    const counts = columnUse(8, [a, b, c]);
    expect([...counts]).toEqual([1, 1, 2, 1, 0, 3, 0, 1]);
    expect(sharingOf(counts, 3)).toEqual({
      used: 6,
      maxSharing: 3,
      meanPerUsed: 9 / 6,
      shared: 2,
      randomFloor: 3 / 8,
    });
  });

  it('has nothing used and no mean with no edits', () => {
    const s = sharingOf(columnUse(8, []), 3);
    expect(s.used).toBe(0);
    expect(s.maxSharing).toBe(0);
    expect(s.meanPerUsed).toBeNaN();
  });

  it('refuses a column outside the memory, naming the edit', () => {
    expect(() => columnUse(8, [row('bad', [1, 8])])).toThrow(/edit bad has column 8 outside \[0, 8\)/);
  });

  it('intersects sorted masks and fills the overlap matrix', () => {
    expect(intersectionSize(a.cols, b.cols)).toBe(2);
    expect(intersectionSize(a.cols, c.cols)).toBe(1);
    expect(intersectionSize(Int32Array.of(), a.cols)).toBe(0);
    expect(overlapMatrix([a, b, c], 3)).toEqual([
      [1, 2 / 3, 1 / 3],
      [2 / 3, 1, 1 / 3],
      [1 / 3, 1 / 3, 1],
    ]);
  });

  it('ranks collisions highest first, the later edit first on a tie, flagging overlap >= τ', () => {
    const ranked = rankCollisions(
      [
        { id: 'e1', overlap: 0.25 },
        { id: 'e2', overlap: 0.5 },
        { id: 'e3', overlap: 0.5 },
        { id: 'e4', overlap: 0.75 },
      ],
      0.5,
    );
    expect(ranked).toEqual([
      { id: 'e4', overlap: 0.75, fires: true },
      { id: 'e3', overlap: 0.5, fires: true },
      { id: 'e2', overlap: 0.5, fires: true },
      { id: 'e1', overlap: 0.25, fires: false },
    ]);
  });
});

describe('memory view: masks of the toy model', () => {
  it('agrees with the router on real TopHash masks, and a paraphrase ranks its edit first', async () => {
    const background = [
      'rivers carry water down to the sea',
      'a small bird sang in the old garden',
      'the train left the station before noon',
      'people often read books during long winters',
      'music played softly from the open window',
      'farmers plant wheat early in the spring',
    ];
    const model = new ToyModel({ V: 200, C: 24, H: 64 });
    const config = { ...defaultMemoirConfig({ layers: 1, H: 64 }, 'last-zscore'), k: 16, tau: 0.75 };
    const stats = await computeBackgroundStats(model, config.layer, background);
    const editor = new MemoirEditor(model, config, stats, background);
    const prompts = [
      'the tallest tower stands in',
      'my favourite metal shines like',
      'whales swim across oceans toward',
    ];
    const masks = await Promise.all(
      prompts.map(async (p, i) => ({ id: `e${i}`, cols: await editor.mask(p) })),
    );
    const router = new MaskRouter(64, 16);
    for (const m of masks) router.add(m.cols);

    const matrix = overlapMatrix(masks, 16);
    masks.forEach((m, i) => expect(matrix[i]).toEqual([...router.overlaps(m.cols).values()]));
    const counts = columnUse(64, masks);
    expect(counts.reduce((s, n) => s + n, 0)).toBe(3 * 16);
    expect(sharingOf(counts, 16).maxSharing).toBeLessThanOrEqual(3);

    // A paraphrase keeps the last words, which the toy model's last-token pooling weighs most.
    const query = await editor.mask('the highest tower stands in');
    const overlaps = [...router.overlaps(query)].map(([slot, overlap]) => ({ id: `e${slot}`, overlap }));
    const ranked = rankCollisions(overlaps, config.tau);
    const best = router.best(query)!;
    expect(ranked[0]).toEqual({
      id: `e${best.slot}`,
      overlap: best.overlap,
      fires: best.overlap >= config.tau,
    });
    expect(ranked[0].id).toBe('e0');
  });
});
