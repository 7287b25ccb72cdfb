// The SERAC threshold setting on fake-indexeddb: per model, back to unset, and a corrupt value reported
// and ignored but kept.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { EditscopeDB } from './db';
import { readSeracThreshold, seracThresholdKey, writeSeracThreshold } from './serac';

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
});
