// Test only: builds share links (and deflate bombs) from raw JSON text with Node's zlib and crypto,
// independently of the codec (so a codec bug cannot hide in its own test inputs), and a validity
// predicate for decoded sets written without the codec's regexes.
import { createHash } from 'node:crypto';
import { constants, deflateRawSync } from 'node:zlib';

export const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** A format 1 link (no checksum) carrying `json` (text or a value to stringify). */
export function v1Link(json: unknown, deflated: Uint8Array = deflateRawSync(text(json))): string {
  return `edits=${b64url(deflated)}`;
}

/** A format 2 link: SHA-256 of the JSON bytes cut to 8 bytes, then deflate-raw of the JSON. */
export function v2Link(json: unknown, deflated: Uint8Array = deflateRawSync(text(json))): string {
  const tag = createHash('sha256').update(text(json)).digest().subarray(0, 8);
  return `edits=2.${b64url(Buffer.concat([tag, deflated]))}`;
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

function goodLine(s: unknown): boolean {
  if (typeof s !== 'string' || s.length > 500 || s.trim() === '' || s !== s.normalize('NFC')) return false;
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
