// The SERAC threshold setting on fake-indexeddb: per model, back to unset, and a corrupt value reported
// and ignored but kept.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { EditscopeDB } from './db';
import type { SeracCalibration } from '../editors/serac/calibrate-scope';
import {
  readCompanionPicks,
  readSeracCalibration,
  readSeracThreshold,
  seracCalibrationKey,
  seracCompanionsKey,
  seracThresholdKey,
  writeCompanionPicks,
  writeSeracCalibration,
  writeSeracThreshold,
} from './serac';

let counter = 0;
const opened: EditscopeDB[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));
async function fresh(): Promise<EditscopeDB> {
  const db = await EditscopeDB.open(`serac-test-${counter++}`);
  opened.push(db);
  return db;
}

describe('SERAC threshold setting', () => {
  it('is kept per model and goes back to unset', async () => {
    const db = await fresh();
    expect(await readSeracThreshold(db, 'a')).toEqual({ threshold: null, problems: [] });
    await writeSeracThreshold(db, 'a', 0.9);
    await writeSeracThreshold(db, 'b', 0);
    expect(await readSeracThreshold(db, 'a')).toEqual({ threshold: 0.9, problems: [] });
    expect(await readSeracThreshold(db, 'b')).toEqual({ threshold: 0, problems: [] });
    await writeSeracThreshold(db, 'a', null);
    expect(await readSeracThreshold(db, 'a')).toEqual({ threshold: null, problems: [] });
    expect(await readSeracThreshold(db, 'b')).toEqual({ threshold: 0, problems: [] });
  });

  it.each([[1.5], ['0.7'], [null], [Number.NaN]])('reports a stored %s and keeps it', async (value) => {
    const db = await fresh();
    await db.setSetting(seracThresholdKey('a'), value);
    const read = await readSeracThreshold(db, 'a');
    expect(read.threshold).toBeNull();
    expect(read.problems[0]).toMatch(/stored SERAC threshold of a .* is not a number in \[0, 1\]/);
    expect(await db.getSetting(seracThresholdKey('a'))).toEqual(value);
  });

  it('is kept apart per scope model when the scope is not the bundled one', async () => {
    const db = await fresh();
    await writeSeracThreshold(db, 'a', 0.9);
    await writeSeracThreshold(db, 'a', 0.3, 'Xenova/all-MiniLM-L6-v2');
    expect((await readSeracThreshold(db, 'a')).threshold).toBe(0.9);
    expect((await readSeracThreshold(db, 'a', 'Xenova/all-MiniLM-L6-v2')).threshold).toBe(0.3);
    expect((await readSeracThreshold(db, 'a', 'other/embedder')).threshold).toBeNull();
  });
});

describe('SERAC companion picks', () => {
  it('are kept per model, empty fields dropped, {} back to the defaults', async () => {
    const db = await fresh();
    expect(await readCompanionPicks(db, 'a')).toEqual({ picks: {}, problems: [] });
    await writeCompanionPicks(db, 'a', { scopeModel: 'x/y', counterfactualModel: '' });
    expect(await readCompanionPicks(db, 'a')).toEqual({ picks: { scopeModel: 'x/y' }, problems: [] });
    expect(await readCompanionPicks(db, 'b')).toEqual({ picks: {}, problems: [] });
    await writeCompanionPicks(db, 'a', {});
    expect(await db.getSetting(seracCompanionsKey('a'))).toBeUndefined();
  });

  it.each([[{ scopeModel: 3 }], [{ other: 'x/y' }], ['x/y']])(
    'reports a stored %j and keeps it',
    async (value) => {
      const db = await fresh();
      await db.setSetting(seracCompanionsKey('a'), value);
      const read = await readCompanionPicks(db, 'a');
      expect(read.picks).toEqual({});
      expect(read.problems[0]).toMatch(/stored SERAC companions of a .* are not model names/);
      expect(await db.getSetting(seracCompanionsKey('a'))).toEqual(value);
    },
  );
});

describe('SERAC scope calibration', () => {
  const calibration: SeracCalibration = {
    version: 1,
    modelId: 'a',
    scopeModel: 'Xenova/all-MiniLM-L6-v2',
    calibrationSet: 'editscope-calibration-v1',
    createdAt: 1,
    curve: [{ tau: 0.5, paraphraseOwn: 0.8, unrelatedOpen: 0.01 }],
    threshold: 0.5,
    paraphraseOwnAtThreshold: 0.8,
    reason: 'why',
  };

  it('is kept per (model, scope model)', async () => {
    const db = await fresh();
    await writeSeracCalibration(db, calibration);
    expect(await readSeracCalibration(db, 'a', calibration.scopeModel)).toEqual({
      calibration,
      problems: [],
    });
    expect(await readSeracCalibration(db, 'a', 'other/embedder')).toEqual({
      calibration: null,
      problems: [],
    });
  });

  it('reports one made for another model or that is no record, and keeps it', async () => {
    const db = await fresh();
    const key = seracCalibrationKey('b', calibration.scopeModel);
    for (const value of [calibration, { ...calibration, modelId: 'b', threshold: 2 }]) {
      await db.setSetting(key, value);
      const read = await readSeracCalibration(db, 'b', calibration.scopeModel);
      expect(read.calibration).toBeNull();
      expect(read.problems[0]).toMatch(/not a calibration record for them/);
      expect(await db.getSetting(key)).toEqual(value);
    }
  });
});
