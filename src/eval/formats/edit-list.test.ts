import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEditFile } from './detect';
import { readEditList, readZsreEdits, toZsreEdits } from './edit-list';

describe('the edit list in EasyEdit ZsRE shape', () => {
  it('writes src and alt (without the stored leading space) and reads them back', () => {
    const edits = [
      { prompt: 'The capital of France is', target: ' Rome' },
      { prompt: 'Gold, "Au",', target: 'Ag' },
    ];
    const written = toZsreEdits(edits);
    expect(written).toEqual([
      { src: 'The capital of France is', alt: 'Rome' },
      { src: 'Gold, "Au",', alt: 'Ag' },
    ]);
    const read = readZsreEdits(JSON.stringify(written), 'edits.json');
    expect(read).toEqual({ edits: written.map((w) => ({ prompt: w.src, target: w.alt })), skipped: [] });
    // The benchmark reader knows the shape but needs what a measurement uses: subject, answers.
    expect(readEditFile(JSON.stringify(written), 'edits.json').skipped[0].problems).toContain(
      'records[0].subject: must be a non-empty string, got undefined',
    );
  });

  it("reads a published ZsRE file's edits, skipping records without src or alt", () => {
    const published = JSON.parse(readFileSync('tests/fixtures/edit-files/zsre.json', 'utf8')) as object[];
    const read = readZsreEdits(JSON.stringify([...published, { src: 'q' }, 3]), 'z.json');
    expect(read.edits[0]).toEqual({ prompt: 'What is the capital of France?', target: 'Lima' });
    expect(read.edits).toHaveLength(3);
    expect(read.skipped).toEqual([
      { index: 3, problems: ['records[3].alt: must be a non-empty string, got undefined'] },
      { index: 4, problems: ['records[4]: must be an object with src and alt, got number'] },
    ]);
  });

  it("reads the other published formats' edits through their readers", () => {
    for (const [file, first] of [
      ['knowedit-counterfact.json', 'The capital of France is'],
      ['rome-counterfact.json', 'The capital of France is'],
    ] as const) {
      const text = readFileSync(`tests/fixtures/edit-files/${file}`, 'utf8');
      const read = readEditList(text, file);
      expect(read.skipped).toEqual([]);
      expect(read.edits.length).toBeGreaterThan(0);
      expect(read.edits[0].prompt).toBe(first);
      expect(read.edits[0].target).toBe(readEditFile(text, file).records[0].target_new);
    }
  });
});
