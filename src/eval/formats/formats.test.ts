import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../records';
import { EditFileError, readEditFile } from './detect';

const dir = 'tests/fixtures/edit-files';
const fixture = (name: string) => readFileSync(`${dir}/${name}`, 'utf8');
const json = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>[];

describe('edit files in published formats', () => {
  it('reads EasyEdit / MEMOIR ZsRE: src, alt, answers[0], rephrase, loc as an "nq" Loc prompt', () => {
    const file = readEditFile(fixture('zsre.json'), 'zsre.json');
    expect(file.format.name).toBe('zsre');
    expect(file.skipped).toEqual([]);
    expect(file.records[0]).toEqual({
      id: 'zsre-0',
      subject: 'France',
      prompt: 'What is the capital of France?',
      target_new: ' Lima',
      target_true: ' Paris',
      rephrases: ['Which city is the capital of France?'],
      locality: [
        {
          prompt: 'nq question: who wrote the declaration of independence',
          answer: ' Thomas Jefferson',
          kind: 'nq',
        },
      ],
    });
    expect(file.unmeasured).toEqual([
      '`portability` (no portability metric in this runner): in 1 record(s), not measured',
    ]);
  });

  it("reads KnowEdit's CounterFact: its locality prompt is a Neighborhood prompt", () => {
    const file = readEditFile(fixture('knowedit-counterfact.json'), 'cf.json');
    expect(file.format.name).toBe('knowedit-counterfact');
    expect(file.records.map((r) => r.id)).toEqual(['counterfact-0', 'counterfact-1', 'counterfact-2']);
    expect(file.records[1]).toMatchObject({
      prompt: 'The official language of Brazil is',
      target_new: ' French',
      target_true: ' Portuguese',
      rephrases: ['In Brazil, the official language is'],
      locality: [],
      neighborhood: [{ prompt: 'The official language of Mexico is', answer: ' Spanish' }],
    });
  });

  it("reads ROME's CounterFact: the subject fills {}, neighbors keep target_true", () => {
    const file = readEditFile(fixture('rome-counterfact.json'), 'counterfact.json');
    expect(file.format.name).toBe('rome-counterfact');
    expect(file.records[1]).toEqual({
      id: '1',
      subject: 'Japan',
      relation: 'P30',
      prompt: 'Japan is located on the continent of',
      target_new: ' Europe',
      target_true: ' Asia',
      rephrases: ['Japan belongs to the continent of'],
      locality: [],
      neighborhood: [{ prompt: 'China is located on the continent of', answer: ' Asia' }],
    });
    expect(file.unmeasured).toHaveLength(1);
  });

  it('reads the project shape as JSON lines, exactly as parseRecords does', () => {
    const text = fixture('editscope.jsonl');
    const file = readEditFile(text, 'e.jsonl');
    expect(file.format.name).toBe('editscope');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(file.records).toEqual(parseRecords(lines, 'e.jsonl'));
    expect(readEditFile(JSON.stringify({ records: lines }), 'e.json').records).toEqual(file.records);
  });

  it('skips a malformed record with its index and field, and keeps the rest', () => {
    const records = json('zsre.json');
    records[1] = { ...records[1], alt: 7 };
    records.push({ ...records[0], alt: '' }, 'nonsense' as never, { ...records[2], rephrase: ['ok', 3] });
    const file = readEditFile(JSON.stringify(records), 'z.json');
    expect(file.records.map((r) => r.id)).toEqual(['zsre-0', 'zsre-2']);
    expect(file.skipped).toEqual([
      { index: 1, problems: ['records[1].alt: must be a non-empty string, got number'] },
      { index: 3, problems: ["records[3].alt: is empty (EasyEdit's ZsreDataset drops these too)"] },
      { index: 4, problems: ['records[4]: must be an object, got string'] },
      { index: 5, problems: ['records[5].rephrase[1]: must be a non-empty string, got number'] },
    ]);
    const rome = json('rome-counterfact.json');
    rome[0] = {
      ...rome[0],
      requested_rewrite: { ...(rome[0].requested_rewrite as object), prompt: 'No slot' },
    };
    rome[2] = { ...rome[2], case_id: 1 };
    const romeFile = readEditFile(JSON.stringify(rome), 'r.json');
    expect(romeFile.records.map((r) => r.id)).toEqual(['1']);
    expect(romeFile.skipped.map((s) => s.problems[0])).toEqual([
      'records[0].requested_rewrite.prompt: must hold "{}" where the subject goes, got "No slot"',
      'records[2].case_id: "1" appears twice',
    ]);
  });

  it('skips a JSON line that does not parse, naming its line', () => {
    const lines = fixture('editscope.jsonl').trim().split('\n');
    lines.splice(1, 0, '', '{"id": oops}');
    const file = readEditFile(lines.join('\n'), 'e.jsonl');
    expect(file.records).toHaveLength(3);
    expect(file.skipped).toHaveLength(1);
    expect(file.skipped[0].index).toBe(1);
    expect(file.skipped[0].problems[0]).toMatch(/^line 3: not JSON/);
  });

  it('refuses a file it cannot read at all, saying why', () => {
    expect(() => readEditFile('  ', 'a.json')).toThrow(/a\.json: the file is empty/);
    expect(() => readEditFile('[{"src": 1,', 'a.json')).toThrow(/a\.json: not JSON/);
    expect(() => readEditFile('42', 'a.json')).toThrow(/expected records, got a JSON number/);
    expect(() => readEditFile('[{"question": "q", "answer": "a"}]', 'a.json')).toThrow(
      /no known edit-file format: the first record has the fields question, answer\nHINT: known formats: ROME/,
    );
    expect(() => readEditFile('[1, 2]', 'a.json')).toThrow(EditFileError);
  });
});
