// Benchmark records in the ZsRE-like shape of DESIGN §6, validated field by field with readable errors
// ("records[3].rephrases[1]: must be a string, got number"). Accepts a bare array or { records: [...] }.
// Not the metrics or the runner; no I/O (callers read the file).

export interface PromptAnswer {
  readonly prompt: string;
  readonly answer: string;
  /** Optional kind of locality prompt ("fact": another relation's fact, "text": general text, as
   *  DESIGN §6 names them): Loc is then also reported per kind. */
  readonly kind?: string;
}

export interface BenchRecord {
  readonly id: string;
  readonly subject: string;
  /** Optional relation name ("capital", "continent", ...): results are then also summarised per relation. */
  readonly relation?: string;
  /** The edit prompt; the edit makes the model continue it with target_new. */
  readonly prompt: string;
  readonly target_true: string;
  readonly target_new: string;
  /** Paraphrases of the prompt: Generalization. */
  readonly rephrases: readonly string[];
  /** Unrelated prompts with the model's expected answer: Locality. */
  readonly locality: readonly PromptAnswer[];
  /** Same template, another subject (CounterFact style): Neighborhood locality, reported separately. */
  readonly neighborhood?: readonly PromptAnswer[];
}

/** Thrown with every problem found (up to a limit), one per line. */
export class RecordsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems.length} problem(s) in the benchmark records\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.name = 'RecordsError';
  }
}

const MAX_PROBLEMS = 20;

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** A record read from a source: the record, or the problems (each naming its field) that keep it out. */
export type RecordRead =
  { record: BenchRecord; problems?: undefined } | { record?: undefined; problems: string[] };

/** One record checked on its own (`at` names it in messages, e.g. "records[3]"): the record, or every
 *  problem found, each naming the field. Not the id's uniqueness, which needs the whole list. */
export function readRecord(raw: unknown, at: string): RecordRead {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [`${at}: must be an object, got ${kind(raw)}`] };
  }
  const r = raw as Record<string, unknown>;
  const problems: string[] = [];
  const text = (field: string, v: unknown, where = `${at}.${field}`): string => {
    if (typeof v !== 'string' || v.trim() === '')
      problems.push(`${where}: must be a non-empty string, got ${kind(v)}`);
    return v as string;
  };
  const pairs = (field: string, v: unknown): PromptAnswer[] => {
    if (!Array.isArray(v)) {
      problems.push(`${at}.${field}: must be an array of { prompt, answer }, got ${kind(v)}`);
      return [];
    }
    return v.map((p, j) => {
      const o = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
      return {
        prompt: text(field, o.prompt, `${at}.${field}[${j}].prompt`),
        answer: text(field, o.answer, `${at}.${field}[${j}].answer`),
        ...(o.kind === undefined ? {} : { kind: text(field, o.kind, `${at}.${field}[${j}].kind`) }),
      };
    });
  };
  const rephrases = Array.isArray(r.rephrases)
    ? r.rephrases.map((p, j) => text('rephrases', p, `${at}.rephrases[${j}]`))
    : (problems.push(`${at}.rephrases: must be an array of strings, got ${kind(r.rephrases)}`), []);
  const record: BenchRecord = {
    id: text('id', r.id),
    subject: text('subject', r.subject),
    ...(r.relation === undefined ? {} : { relation: text('relation', r.relation) }),
    prompt: text('prompt', r.prompt),
    target_true: text('target_true', r.target_true),
    target_new: text('target_new', r.target_new),
    rephrases,
    locality: pairs('locality', r.locality),
    ...(r.neighborhood === undefined ? {} : { neighborhood: pairs('neighborhood', r.neighborhood) }),
  };
  return problems.length === 0 ? { record } : { problems };
}

/** The list of records in parsed JSON: a bare array or { records: [...] }; null for anything else. */
export function recordList(json: unknown): unknown[] | null {
  const list = Array.isArray(json) ? json : (json as { records?: unknown } | null)?.records;
  return Array.isArray(list) ? list : null;
}

/** Validates parsed JSON; `source` names the file in messages. */
export function parseRecords(json: unknown, source: string): BenchRecord[] {
  const list = recordList(json);
  if (list === null) {
    throw new RecordsError(source, [
      `top level must be an array of records or { records: [...] }, got ${kind(json)}`,
    ]);
  }
  const problems: string[] = [];
  const ids = new Set<string>();
  const records: BenchRecord[] = [];
  list.forEach((raw, i) => {
    if (problems.length >= MAX_PROBLEMS) return;
    const read = readRecord(raw, `records[${i}]`);
    if (read.problems) problems.push(...read.problems);
    // A repeated id is reported even when the record has other problems too.
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && ids.has(id)) problems.push(`records[${i}].id: "${id}" appears twice`);
    else if (read.record) records.push(read.record);
    if (typeof id === 'string') ids.add(id);
  });
  if (problems.length > 0) throw new RecordsError(source, problems.slice(0, MAX_PROBLEMS));
  if (records.length === 0) throw new RecordsError(source, ['no records']);
  return records;
}
