// Test only: builds share links (and deflate bombs) from raw JSON text with Node's zlib and crypto,
// independently of the codec (so a codec bug cannot hide in its own test inputs), and a validity
// predicate for decoded sets and lessons written without the codec's regexes.
import { createHash } from 'node:crypto';
import { constants, deflateRawSync } from 'node:zlib';

export const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** A format 1 link (no checksum) carrying `json` (text or a value to stringify). */
export function v1Link(json: unknown, deflated: Uint8Array = deflateRawSync(text(json))): string {
  return `edits=${b64url(deflated)}`;
}

/** A format 2 link: SHA-256 of the JSON bytes cut to 8 bytes, then deflate-raw of the JSON; `param`
 *  "lesson" for a lesson link. */
export function v2Link(
  json: unknown,
  deflated: Uint8Array = deflateRawSync(text(json)),
  param = 'edits',
): string {
  const tag = createHash('sha256').update(text(json)).digest().subarray(0, 8);
  return `${param}=2.${b64url(Buffer.concat([tag, deflated]))}`;
}

const ZERO_BLOCK = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_SYNC_FLUSH });
/** Deflate-raw of `mib` MiB of zeros in 1 MiB sync-flushed blocks (~1,000:1), built in milliseconds. */
export function zeroBomb(mib: number): Buffer {
  return Buffer.concat([...Array<Buffer>(mib).fill(ZERO_BLOCK), Buffer.from([0x03, 0x00])]);
}

const text = (json: unknown) => (typeof json === 'string' ? json : JSON.stringify(json));

/** Code points of `s`, or null when it holds a lone surrogate. */
function codePoints(s: string): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const hi = s.charCodeAt(i);
    if (hi >= 0xdc00 && hi <= 0xdfff) return null;
    if (hi >= 0xd800 && hi <= 0xdbff) {
      const lo = s.charCodeAt(++i);
      if (!(lo >= 0xdc00 && lo <= 0xdfff)) return null;
      out.push(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00));
    } else out.push(hi);
  }
  return out;
}

const forbidden = (cp: number) =>
  cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);

function goodLine(s: unknown, max = 500): boolean {
  if (typeof s !== 'string' || s.length > max || s.trim() === '' || s !== s.normalize('NFC')) return false;
  const cps = codePoints(s);
  return cps !== null && !cps.some(forbidden);
}

/** What any accepted link must decode to, checked without the codec's code. */
export function isValidSet(value: unknown): boolean {
  const set = value as { method?: unknown; model?: unknown; edits?: unknown };
  if (typeof set !== 'object' || set === null || Object.keys(set).sort().join() !== 'edits,method,model') {
    return false;
  }
  const model = set.model;
  const modelOk =
    typeof model === 'string' &&
    model.length >= 1 &&
    model.length <= 200 &&
    [...model].every((c) =>
      'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~:/@%+-'.includes(c),
    );
  const edits = set.edits as { prompt?: unknown; target?: unknown }[];
  return (
    set.method === 'memoir' &&
    modelOk &&
    Array.isArray(edits) &&
    edits.length >= 1 &&
    edits.length <= 200 &&
    edits.every(
      (e) => Object.keys(e).sort().join() === 'prompt,target' && goodLine(e.prompt) && goodLine(e.target),
    )
  );
}

/** What any accepted lesson link must decode to, checked without the codec's code. */
export function isValidLesson(value: unknown): boolean {
  const lesson = value as {
    kind?: unknown;
    model?: unknown;
    note?: unknown;
    edits?: unknown;
    probes?: unknown;
  };
  if (
    typeof lesson !== 'object' ||
    lesson === null ||
    Object.keys(lesson).sort().join() !== 'edits,kind,model,note,probes'
  ) {
    return false;
  }
  const { note } = lesson;
  const noteOk = note === '' || goodLine(note, 1000);
  const probes = lesson.probes as { prompt?: unknown; group?: unknown; expect?: unknown }[];
  return (
    lesson.kind === 'lesson' &&
    noteOk &&
    isValidSet({ method: 'memoir', model: lesson.model, edits: lesson.edits }) &&
    (lesson.edits as unknown[]).length <= 10 &&
    Array.isArray(probes) &&
    probes.length >= 1 &&
    probes.length <= 40 &&
    probes.every(
      (p) =>
        Object.keys(p).sort().join() === 'expect,group,prompt' &&
        goodLine(p.prompt) &&
        ['reach', 'related', 'unrelated'].includes(p.group as string) &&
        (p.expect === 'new' || p.expect === 'old'),
    )
  );
}
