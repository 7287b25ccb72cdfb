// What every edit-file reader (formats/*.ts; its header names the published file it follows) provides: a
// shape test for detection, and read(), which turns one source record into the project's BenchRecord
// (src/eval/records.ts) or the problems that keep it out. Not the detection or the file parsing (detect.ts).
import type { RecordRead } from '../records';

export type FormatName = 'editscope' | 'zsre' | 'knowedit-counterfact' | 'rome-counterfact';

export interface EditFileFormat {
  readonly name: FormatName;
  /** For people: "EasyEdit / MEMOIR ZsRE". */
  readonly label: string;
  /** The field holding the record's id in the source, or null when ids are made from the index. */
  readonly idField: string | null;
  /** Whether a record carries this format's distinguishing fields (read() checks all of them). */
  matches(raw: Record<string, unknown>): boolean;
  /** `index`: the record's position in the file; `at` names it in messages ("records[3]"). */
  read(raw: Record<string, unknown>, index: number, at: string): RecordRead;
  /** A note on source fields the project does not measure, when a record has them (or null). */
  unmeasured?(raw: Record<string, unknown>): string | null;
}
