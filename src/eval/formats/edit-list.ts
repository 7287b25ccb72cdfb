// An edit list (prompt -> new answer, as the Edit view stores it) in EasyEdit's ZsRE shape, both ways:
// written as { src, alt } records (nothing else is known of a typed edit: no subject, true answer,
// rephrase or loc), and read back from any ZsRE file by its src and alt alone, skipping records without
// them; files of the other published formats give their records' prompt and new answer (readEditList).
// Not the benchmark reader (detect.ts), which needs every field a measurement uses.
import { fileItems, readEditFile, type SkippedRecord } from './detect';
import { Fields, isObject, kindOf } from './fields';

export interface ListedEdit {
  readonly prompt: string;
  readonly target: string;
}

/** EasyEdit's `alt` has no leading space (it joins `src + ' ' + alt`); a stored target may have one. */
export function toZsreEdits(edits: readonly ListedEdit[]): { src: string; alt: string }[] {
  return edits.map((e) => ({ src: e.prompt, alt: e.target.replace(/^\s/, '') }));
}

export function readZsreEdits(
  text: string,
  source: string,
): { edits: ListedEdit[]; skipped: SkippedRecord[] } {
  const { list, bad } = fileItems(text, source);
  const skipped: SkippedRecord[] = [...bad];
  const edits: ListedEdit[] = [];
  list.forEach((raw, index) => {
    if (bad.some((b) => b.index === index)) return;
    const at = `records[${index}]`;
    if (!isObject(raw)) {
      skipped.push({ index, problems: [`${at}: must be an object with src and alt, got ${kindOf(raw)}`] });
      return;
    }
    const f = new Fields(raw, at);
    const edit = { prompt: f.text('src'), target: f.text('alt') };
    if (f.problems.length > 0) skipped.push({ index, problems: f.problems });
    else edits.push(edit);
  });
  skipped.sort((a, b) => a.index - b.index);
  return { edits, skipped };
}

/** The edits of any edit file formats/ reads: a ZsRE file (or an exported edit list) by src and alt
 *  alone, any other format through its reader (prompt and new answer of each record it keeps). */
export function readEditList(
  text: string,
  source: string,
): { edits: ListedEdit[]; skipped: SkippedRecord[] } {
  const first = fileItems(text, source).list.find(isObject);
  if (first !== undefined && 'src' in first) return readZsreEdits(text, source);
  const file = readEditFile(text, source);
  return {
    edits: file.records.map((r) => ({ prompt: r.prompt, target: r.target_new })),
    skipped: file.skipped,
  };
}
