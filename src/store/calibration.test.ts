// MEMOIR's calibration settings on fake-indexeddb: a record per model and precision, the preset choice per
// model (calibrated unless set), and stored values that cannot be used reported and ignored but kept.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoirCalibration } from '../editors/memoir/calibration';
import { defaultMemoirConfig } from '../editors/memoir/config';
import {
  memoirCalibrationKey,
  memoirPresetKey,
  readMemoirCalibration,
  readMemoirPreset,
  writeMemoirCalibration,
  writeMemoirPreset,
} from './calibration';
import { EditscopeDB } from './db';

let counter = 0;
const opened: EditscopeDB[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));
async function fresh(): Promise<EditscopeDB> {
  const db = await EditscopeDB.open(`calibration-test-${counter++}`);
  opened.push(db);
  return db;
}

const dims = { layers: 4, H: 2048 };
const paperResult = {
  layer: 3,
  k: 585,
  pooling: 'mean',
  normalize: 'center',
  label: 'layer 3 · k 585 · mean, centered',
  curve: [{ tau: 0.4, paraphraseOwn: 0.5, unrelatedOpen: 0.2 }],
  tau: null,
  paraphraseOwnAtTau: 0,
} as const;
function record(modelId: string, precision: 'f32' | 'q8', tau: number): MemoirCalibration {
  return {
    version: 1,
    modelId,
    precision,
    calibrationSet: 'editscope-calibration-v1',
    createdAt: 1764770000000,
    candidates: [paperResult],
    chosen: { ...defaultMemoirConfig(dims, 'last-zscore'), tau },
    chosenLabel: 'layer 2 · k 256 · last token, z-score',
    paper: defaultMemoirConfig(dims, 'paper'),
    paperResult,
    trials: [],
    reason: 'test',
  };
}

describe('MEMOIR calibration record', () => {
  it('is kept per model and precision', async () => {
    const db = await fresh();
    expect(await readMemoirCalibration(db, 'a', 'f32', dims)).toEqual({ calibration: null, problems: [] });
    await writeMemoirCalibration(db, record('a', 'f32', 0.6));
    await writeMemoirCalibration(db, record('a', 'q8', 0.55));
    expect((await readMemoirCalibration(db, 'a', 'f32', dims)).calibration?.chosen.tau).toBe(0.6);
    expect((await readMemoirCalibration(db, 'a', 'q8', dims)).calibration?.chosen.tau).toBe(0.55);
    expect((await readMemoirCalibration(db, 'b', 'f32', dims)).calibration).toBeNull();
    await writeMemoirCalibration(db, record('a', 'f32', 0.65));
    expect((await readMemoirCalibration(db, 'a', 'f32', dims)).calibration?.chosen.tau).toBe(0.65);
  });

  it.each([
    ['not a record', { version: 1 }, /is not a calibration record for this model's 4 layers and width 2048/],
    ['for other dims', record('a', 'f32', 0.6), /is not a calibration record/, { layers: 2, H: 2048 }],
    ['of another model', record('b', 'f32', 0.6), /was made for b at f32; it is not used/],
    ['of another precision', record('a', 'q8', 0.6), /was made for a at q8; it is not used/],
  ])('reports a stored record %s, ignores it and keeps it', async (_what, value, problem, at = dims) => {
    const db = await fresh();
    await db.setSetting(memoirCalibrationKey('a', 'f32'), value);
    const read = await readMemoirCalibration(db, 'a', 'f32', at);
    expect(read.calibration).toBeNull();
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatch(problem);
    expect(await db.getSetting(memoirCalibrationKey('a', 'f32'))).toEqual(value);
  });
});

describe('MEMOIR preset choice', () => {
  it('is calibrated until set, per model', async () => {
    const db = await fresh();
    expect(await readMemoirPreset(db, 'a')).toEqual({ preset: 'calibrated', problems: [] });
    await writeMemoirPreset(db, 'a', 'paper');
    expect(await readMemoirPreset(db, 'a')).toEqual({ preset: 'paper', problems: [] });
    expect(await readMemoirPreset(db, 'b')).toEqual({ preset: 'calibrated', problems: [] });
    await writeMemoirPreset(db, 'a', 'calibrated');
    expect(await readMemoirPreset(db, 'a')).toEqual({ preset: 'calibrated', problems: [] });
  });

  it.each([['last-zscore'], [1], [null]])('reports a stored %s and keeps it', async (value) => {
    const db = await fresh();
    await db.setSetting(memoirPresetKey('a'), value);
    const read = await readMemoirPreset(db, 'a');
    expect(read.preset).toBe('calibrated');
    expect(read.problems[0]).toMatch(/stored MEMOIR preset of a .* is not "calibrated" or "paper"/);
    expect(await db.getSetting(memoirPresetKey('a'))).toEqual(value);
  });
});
