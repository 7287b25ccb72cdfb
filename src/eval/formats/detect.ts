// Reads an edit file in any format of formats/ (a JSON array, { records: [...] } or JSON lines), finds
// its format from its records' fields, and converts every record it can: the records kept, and those
// skipped with their index and reasons (the caller decides whether that is acceptable). Pure: text in.
import type { BenchRecord } from '../records';
import { editscope } from './editscope';
import { isObject, kindOf } from './fields';
import type { EditFileFormat } from './format';
import { knoweditCounterfact } from './knowedit-counterfact';
import { romeCounterfact } from './rome-counterfact';
import { zsre } from './zsre';

/** In detection order: editscope before KnowEdit's CounterFact, whose fields are a subset of its. */
export const FORMATS: readonly EditFileFormat[] = [romeCounterfact, zsre, editscope, knoweditCounterfact];

export interface SkippedRecord {
  /** Position in the file (0-based; for JSON lines, among the non-empty lines). */
  readonly index: number;
  /** Each names the record and the field: "records[3].alt: must be a non-empty string, got number". */
  readonly problems: readonly string[];
}

export interface EditFile {
  readonly format: EditFileFormat;
  readonly records: BenchRecord[];
  readonly skipped: SkippedRecord[];
  /** Source fields present in the file that no metric here measures, with how many records have them. */
  readonly unmeasured: readonly string[];
}

/** The file cannot be read at all: not JSON, no records, or no record in a known format. */
export class EditFileError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'EditFileError';
  }
}

/** The file's items: a JSON array, { records: [...] }, one JSON object, or JSON lines (a line that is
 *  not JSON becomes a skipped record, `undefined` in the list). */
export function fileItems(text: string, source: string): { list: unknown[]; bad: SkippedRecord[] } {
  const trimmed = text.trim();
  if (trimmed === '') throw new EditFileError(source, 'the file is empty');
  try {
    const json: unknown = JSON.parse(trimmed);
    if (Array.isArray(json)) return { list: json, bad: [] };
    if (isObject(json)) return { list: Array.isArray(json.records) ? json.records : [json], bad: [] };
    throw new EditFileError(source, `expected records, got a JSON ${kindOf(json)}`);
  } catch (e) {
    // A file that opens as one JSON array or object was meant as JSON: its syntax error is the answer.
    if (e instanceof EditFileError || trimmed.startsWith('[') || !trimmed.includes('\n')) {
      throw e instanceof EditFileError ? e : new EditFileError(source, `not JSON (${(e as Error).message})`);
    }
  }
  const list: unknown[] = [];
  const bad: SkippedRecord[] = [];
  trimmed
    .split('\n')
    .map((line, n) => ({ line: line.trim(), n: n + 1 }))
    .filter(({ line }) => line !== '')
    .forEach(({ line, n }, index) => {
      try {
        list.push(JSON.parse(line));
      } catch (e) {
        list.push(undefined);
        bad.push({ index, problems: [`line ${n}: not JSON (${(e as Error).message})`] });
      }
    });
  if (bad.length === list.length)
    throw new EditFileError(source, `not JSON or JSON lines (${bad[0].problems[0]})`);
  return { list, bad };
}

/** The format of the first record any format matches. */
export function detectFormat(list: readonly unknown[], source: string): EditFileFormat {
  const first = list.find(isObject);
  if (first === undefined) throw new EditFileError(source, 'no record is a JSON object');
  const format = list
    .filter(isObject)
    .map((r) => FORMATS.find((f) => f.matches(r)))
    .find((f) => f !== undefined);
  if (format === undefined) {
    throw new EditFileError(
      source,
      `no known edit-file format: the first record has the fields ${Object.keys(first).join(', ') || '(none)'}\n` +
        `HINT: known formats: ${FORMATS.map((f) => f.label).join('; ')}`,
    );
  }
  return format;
}

export function readEditFile(text: string, source: string): EditFile {
  const { list, bad } = fileItems(text, source);
  const format = detectFormat(list, source);
  const skipped: SkippedRecord[] = [...bad];
  const records: BenchRecord[] = [];
  const ids = new Set<string>();
  const unmeasured = new Map<string, number>();
  list.forEach((raw, index) => {
    if (bad.some((b) => b.index === index)) return;
    const at = `records[${index}]`;
    if (!isObject(raw)) {
      skipped.push({ index, problems: [`${at}: must be an object, got ${kindOf(raw)}`] });
      return;
    }
    const read = format.read(raw, index, at);
    if (read.problems) {
      skipped.push({ index, problems: read.problems });
      return;
    }
    const { id } = read.record;
    if (ids.has(id)) {
      skipped.push({ index, problems: [`${at}.${format.idField ?? 'id'}: "${id}" appears twice`] });
      return;
    }
    ids.add(id);
    records.push(read.record);
    const note = format.unmeasured?.(raw);
    if (note) unmeasured.set(note, (unmeasured.get(note) ?? 0) + 1);
  });
  skipped.sort((a, b) => a.index - b.index);
  return {
    format,
    records,
    skipped,
    unmeasured: [...unmeasured].map(([fields, n]) => `${fields}: in ${n} record(s), not measured`),
  };
}

/** One line for people: "EasyEdit / MEMOIR ZsRE: 3 record(s) kept, 1 skipped". */
export function describeEditFile(file: EditFile): string {
  return `${file.format.label}: ${file.records.length} record(s) kept, ${file.skipped.length} skipped`;
}
