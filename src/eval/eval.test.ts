// Records validation, metric definitions, and the sequential runner on the toy model (MEMOIR) with its
// progress stream and cancellation.
import { describe, expect, it } from 'vitest';
import { defaultMemoirConfig } from '../editors/memoir/config';
import { MemoirEditor } from '../editors/memoir/editor';
import { computeBackgroundStats } from '../editors/memoir/tophash';
import { ToyModel } from '../editors/memoir/toy-model';
import {
  agreement,
  exactMatch,
  summarize,
  summarizeByRelation,
  tokenAccuracy,
  type RecordMetrics,
} from './metrics';
import { parseRecords, RecordsError, type BenchRecord } from './records';
import { measuredIndices, measureRecords, runSequentialEval, type RunProgress } from './runner';

const record = (i: number, extra: Partial<BenchRecord> = {}): BenchRecord => ({
  id: `r${i}`,
  subject: `s${i}`,
  prompt: [
    'the tallest tower stands in',
    'my favourite metal shines like',
    'whales swim across oceans toward',
  ][i],
  target_true: 'x',
  target_new: ['lima', 'cobalt', 'oslo'][i],
  rephrases: [
    ['the highest tower stands in'],
    ['my preferred metal shines like'],
    ['whales travel across oceans toward'],
  ][i],
  locality: [{ prompt: 'a quiet lake reflects grey', answer: 'clouds' }],
  ...extra,
});

describe('records', () => {
  it('accepts an array or { records } and keeps optional neighborhood', () => {
    const r = record(0, { neighborhood: [{ prompt: 'the smallest tower stands in', answer: 'paris' }] });
    expect(parseRecords([r], 'f.json')).toEqual([r]);
    expect(parseRecords({ records: [record(1)] }, 'f.json')[0].id).toBe('r1');
  });

  it('keeps an optional locality kind and rejects an empty one', () => {
    const locality = [{ prompt: 'a quiet lake reflects grey', answer: 'clouds', kind: 'text' }];
    expect(parseRecords([record(0, { locality })], 'f.json')[0].locality).toEqual(locality);
    expect(() => parseRecords([{ ...record(0), locality: [{ ...locality[0], kind: 7 }] }], 'f.json')).toThrow(
      /records\[0\]\.locality\[0\]\.kind: must be a non-empty string, got number/,
    );
  });

  it('keeps an optional relation and rejects an empty one', () => {
    expect(parseRecords([record(0, { relation: 'capital' })], 'f.json')[0].relation).toBe('capital');
    expect('relation' in parseRecords([record(0)], 'f.json')[0]).toBe(false);
    expect(() => parseRecords([{ ...record(0), relation: '' }], 'f.json')).toThrow(
      /records\[0\]\.relation: must be a non-empty string/,
    );
  });

  it('lists every problem with its path', () => {
    const bad = [{ ...record(0), rephrases: ['ok', 3] }, { ...record(0), locality: [{ prompt: 'p' }] }, 'x'];
    try {
      parseRecords(bad, 'bench.json');
      throw new Error('expected a RecordsError');
    } catch (e) {
      expect(e).toBeInstanceOf(RecordsError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/^bench\.json: 4 problem/);
      expect(msg).toMatch(/records\[0\]\.rephrases\[1\]: must be a non-empty string, got number/);
      expect(msg).toMatch(/records\[1\]\.id: "r0" appears twice/);
      expect(msg).toMatch(/records\[1\]\.locality\[0\]\.answer: must be a non-empty string, got undefined/);
      expect(msg).toMatch(/records\[2\]: must be an object, got string/);
    }
    expect(() => parseRecords({ foo: 1 }, 'f')).toThrow(/top level must be an array/);
  });
});

describe('metrics', () => {
  it('follows the EasyEdit definitions', () => {
    const t = Int32Array.from([1, 2, 3, 4]);
    expect(tokenAccuracy({ target: t, predicted: Int32Array.from([1, 0, 3, 0]) })).toBe(0.5);
    expect(agreement(Int32Array.from([5, 6]), Int32Array.from([5, 7]))).toBe(0.5);
    expect(exactMatch(Int32Array.from([1, 2, 3, 4, 9]), t)).toBe(1);
    expect(exactMatch(Int32Array.from([1, 2, 3]), t)).toBe(0);
    const row = {
      id: 'a',
      rel: 1,
      gen: null,
      loc: 0.5,
      locByKind: {},
      neighborhood: null,
      em: 1,
      relBefore: 0,
    };
    expect(summarize([row, { ...row, rel: 0, loc: 1 }])).toMatchObject({
      rel: 0.5,
      gen: null,
      loc: 0.75,
      locByKind: {},
      records: 2,
    });
  });

  it('averages Loc per kind over the records that have that kind', () => {
    const row = { id: 'a', rel: 1, gen: null, loc: 1, neighborhood: null, em: 1, relBefore: 0 };
    const rows: RecordMetrics[] = [
      { ...row, locByKind: { text: 1, fact: 0.5 } },
      { ...row, locByKind: { fact: 0 } },
    ];
    expect(summarize(rows).locByKind).toEqual({ fact: 0.25, text: 1 });
  });

  it('summarises per relation, in name order, and not at all without relations', () => {
    const row = { id: 'a', rel: 1, gen: 1, loc: 1, locByKind: {}, neighborhood: null, em: 1, relBefore: 0 };
    const rows = [
      { ...row, relation: 'continent', gen: 0 },
      { ...row, relation: 'capital' },
      { ...row, relation: 'continent', gen: 0.5 },
    ];
    const byRelation = summarizeByRelation(rows);
    expect(byRelation.map((g) => [g.relation, g.summary.records, g.summary.gen])).toEqual([
      ['capital', 1, 1],
      ['continent', 2, 0.25],
    ]);
    expect(summarizeByRelation([row])).toEqual([]);
  });
});

describe('runSequentialEval', () => {
  async function memoir() {
    const model = new ToyModel();
    const background = [
      'rivers carry water down to the sea',
      'a small bird sang in the old garden',
      'the train left before noon',
    ];
    const cfg = { ...defaultMemoirConfig({ layers: 1, H: 64 }, 'last-zscore'), prefixCopies: 1 };
    return new MemoirEditor(model, cfg, await computeBackgroundStats(model, 0, background), background);
  }

  it('edits T records in sequence and measures after all of them', async () => {
    const events: RunProgress[] = [];
    const result = await runSequentialEval(await memoir(), [record(0), record(1), record(2)], {
      T: 3,
      onProgress: (p) => events.push(p),
    });
    expect(result.summary).toMatchObject({
      records: 3,
      rel: 1,
      em: 1,
      loc: 1,
      neighborhood: null,
      relBefore: 0,
    });
    expect(result.edits.map((e) => e.id)).toEqual(['r0', 'r1', 'r2']);
    expect(result.byRelation).toEqual([]);
    expect(events.every((e, i) => i === 0 || e.done >= events[i - 1].done)).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'measure', done: 9, total: 9 });
    expect(events.some((e) => e.phase === 'edit' && e.step !== undefined)).toBe(true);
  });

  it('applies all T edits but measures only the evenly spaced sample asked for', async () => {
    expect(measuredIndices(10, 4)).toEqual([0, 2, 5, 7]);
    expect(measuredIndices(3, 5)).toEqual([0, 1, 2]);
    expect(() => measuredIndices(3, 0)).toThrow(/positive integer/);
    const events: RunProgress[] = [];
    const result = await runSequentialEval(await memoir(), [record(0), record(1), record(2)], {
      T: 3,
      measure: 2,
      onProgress: (p) => events.push(p),
    });
    expect(result.edits.map((e) => e.id)).toEqual(['r0', 'r1', 'r2']);
    expect(result.perRecord.map((r) => r.id)).toEqual(['r0', 'r1']);
    expect(events.at(-1)).toMatchObject({ phase: 'measure', done: 7, total: 7 });
  });

  it('re-measures the same trained memory from the run baselines', async () => {
    const editor = await memoir();
    const locality = [
      { prompt: 'a quiet lake reflects grey', answer: 'clouds', kind: 'text' },
      { prompt: 'the tallest tower stands in', answer: 'x', kind: 'fact' },
    ];
    const records = [record(0, { relation: 'b' }), record(1, { relation: 'a', locality })];
    const result = await runSequentialEval(editor, records, { T: 2 });
    expect(result.perRecord.map((r) => r.relation)).toEqual(['b', 'a']);
    // r1's 'fact' prompt is r0's edit prompt: the memory answers it, so only 'text' keeps its answer.
    expect(result.perRecord[1].locByKind).toEqual({ fact: 0, text: 1 });
    expect(result.perRecord[0].locByKind).toEqual({});
    expect(result.summary.locByKind).toEqual({ fact: 0, text: 1 });
    expect(result.byRelation.map((g) => g.relation)).toEqual(['a', 'b']);
    expect(await measureRecords(editor, result.measured, result.baselines)).toEqual(result.perRecord);
  });

  it('stops on cancel and rejects a bad T', async () => {
    const ctl = new AbortController();
    const run = runSequentialEval(await memoir(), [record(0), record(1)], {
      T: 2,
      signal: ctl.signal,
      onProgress: (p) => p.phase === 'edit' && ctl.abort(),
    });
    await expect(run).rejects.toThrow(/cancelled/);
    await expect(runSequentialEval(await memoir(), [record(0)], { T: 2 })).rejects.toThrow(
      /T must be an integer in \[1, 1\]/,
    );
  });
});
