// Field checks shared by the edit-file readers: each reads one field as the source format spells it and
// records a problem naming the record and that field ("records[3].alt: must be a non-empty string, got
// number"). Not a format of its own; no I/O.

export function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The published formats store answers without their leading space and join them to the prompt with
 *  one (EasyEdit: `prompt + ' ' + target`; ROME: `tok(" " + target)`); the project's records keep that
 *  space in the answer (public/benchmarks/README.md), so it is added where missing. */
export function spaced(answer: string): string {
  return /^\s/.test(answer) ? answer : ` ${answer}`;
}

/** Reads fields of one source record, collecting what is wrong instead of stopping at the first. */
export class Fields {
  readonly problems: string[] = [];

  constructor(
    readonly raw: Record<string, unknown>,
    /** How messages name the record, e.g. "records[3]". */
    readonly at: string,
  ) {}

  /** A non-empty string at `path` (dotted, from the record: "requested_rewrite.target_new.str"). */
  text(path: string): string {
    const v = this.get(path);
    if (typeof v !== 'string' || v.trim() === '') {
      this.problems.push(`${this.at}.${path}: must be a non-empty string, got ${kindOf(v)}`);
      return '';
    }
    return v;
  }

  /** Non-empty strings at `path`; a single string counts as a list of one (EasyEdit's `rephrase` is
   *  one string, KnowEdit's sometimes a list). Absent = none when `optional`. */
  texts(path: string, optional = false): string[] {
    const v = this.get(path);
    if (v === undefined && optional) return [];
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list)) {
      this.problems.push(`${this.at}.${path}: must be a string or an array of strings, got ${kindOf(v)}`);
      return [];
    }
    return list.flatMap((s, j) => {
      if (typeof s === 'string' && s.trim() !== '') return [s];
      this.problems.push(`${this.at}.${path}[${j}]: must be a non-empty string, got ${kindOf(s)}`);
      return [];
    });
  }

  get(path: string): unknown {
    return path.split('.').reduce<unknown>((o, key) => (isObject(o) ? o[key] : undefined), this.raw);
  }
}
