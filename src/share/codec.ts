// Share links for edit sets (DESIGN §7) and, by the same steps, lessons (lesson.ts): `#edits=2.` + base64url(checksum ‖ deflate-raw(JSON)), where the
// checksum is SHA-256 of the JSON bytes cut to 8 bytes; format 1 links (`#edits=` + base64url(deflate-raw
// (JSON)), no checksum) still open, marked unchecked. Decoding is bounded at every step (link length,
// inflated size, nesting depth, field lengths) and fails only with a ShareLinkError whose message says
// what is wrong and what to do next. It never touches stored edits (the caller asks the person first).
import { inflateBounded, jsonDepth } from './bounded';
import { quote } from './text';
import { toEditSet, type SharedEditSet } from './validate';

export { MAX_SHARED_EDITS, type SharedEditSet } from './validate';

export const SHARE_PARAM = 'edits';
/** The format encodeEditSet writes. */
const FORMAT = 2;
/** Longest `edits=` value read at all; a person sharing more is told to export a backup. */
export const MAX_LINK_CHARS = 512 * 1024;
/** Room for other parameters beside `edits=` in the fragment. */
const MAX_FRAGMENT_CHARS = MAX_LINK_CHARS + 1024;
/** Every valid set fits: 200 edits × 1,000 UTF-16 units × ≤ 3 UTF-8 bytes, plus the JSON around them. */
export const MAX_JSON_BYTES = 1024 * 1024;
/** An edit set or a lesson nests 3 deep ({edits: [{…}]}); anything much deeper is refused before
 *  JSON.parse. */
export const MAX_JSON_DEPTH = 8;
const CHECKSUM_BYTES = 8;

export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

/** A decoded link: `checked` is false for format 1 links, which carry no checksum. */
export interface DecodedLink {
  readonly set: SharedEditSet;
  readonly checked: boolean;
}

const AGAIN = 'copy the whole link again or ask the sender for a new one';

/** True when `fragment` carries an `edits=` parameter; cheap (no parsing) even for a huge fragment. */
export function carriesEditSet(fragment: string): boolean {
  return /(?:^#?|&)edits=/.test(fragment);
}

async function pipeBytes(bytes: Uint8Array, stream: CompressionStream) {
  const piped = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

async function checksum(json: Uint8Array): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest('SHA-256', json as BufferSource);
  return new Uint8Array(digest, 0, CHECKSUM_BYTES);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text))
    throw new ShareLinkError(`it has characters a share link never holds; ${AGAIN}`);
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    throw new ShareLinkError(`it is cut short (its length is not whole base64); ${AGAIN}`);
  }
}

const tooLong = (chars: number) =>
  new ShareLinkError(
    `it is ${chars.toLocaleString('en')} characters long, over the ${MAX_LINK_CHARS.toLocaleString('en')} a share link may have; ask the sender for a backup file instead`,
  );

/** At most three problems, then how many more: a message stays short however broken the set. */
function summarise(problems: readonly string[]): string {
  const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
  return problems.slice(0, 3).join('; ') + more;
}

/** One kind of payload a link carries: its fragment parameter, how messages name it, its unpacked
 *  size cap, and its schema (a fresh, checked value or its problems). Edit sets and lessons share
 *  every step below; only these differ. */
export interface LinkKind<T> {
  /** The fragment parameter, e.g. "edits" for `#edits=2.…`. */
  readonly param: string;
  /** "edit set", "lesson": what a message says the link should have held. */
  readonly noun: string;
  /** How an encode refusal names the value: "these edits", "this lesson". */
  readonly these: string;
  /** What to do when the value needs a link over MAX_LINK_CHARS. */
  readonly tooBigHint: string;
  readonly maxJsonBytes: number;
  /** Format 1 (no checksum) predates lessons: only edit sets are read in it. */
  readonly readsFormat1: boolean;
  readonly check: (value: unknown, format: number) => { value: T } | { problems: string[] };
}

const EDIT_SET: LinkKind<SharedEditSet> = {
  param: SHARE_PARAM,
  noun: 'edit set',
  these: 'these edits',
  tooBigHint: 'export a backup instead',
  maxJsonBytes: MAX_JSON_BYTES,
  readsFormat1: true,
  check: (value, format) => {
    const result = toEditSet(value, format);
    return 'problems' in result ? result : { value: result.set };
  },
};

/** The URL fragment (without '#') that carries `set`, in the current format with a checksum. */
export function encodeEditSet(set: SharedEditSet): Promise<string> {
  return encodeLink(EDIT_SET, set);
}

/** The edit set in a URL fragment ('#edits=…' or 'edits=…'); null when the fragment carries none. */
export async function decodeEditSet(fragment: string): Promise<DecodedLink | null> {
  const decoded = await decodeLink(EDIT_SET, fragment);
  return decoded && { set: decoded.value, checked: decoded.checked };
}

/** `param=2.…`: `value` of `kind` with a checksum, refused with the schema's problems or when too long. */
export async function encodeLink<T extends object>(kind: LinkKind<T>, value: T): Promise<string> {
  const checked = kind.check({ version: FORMAT, ...value }, FORMAT);
  if ('problems' in checked) {
    throw new ShareLinkError(`${kind.these} cannot go into a link: ${summarise(checked.problems)}`);
  }
  const json = new TextEncoder().encode(JSON.stringify({ version: FORMAT, ...checked.value }));
  const deflated = await pipeBytes(json, new CompressionStream('deflate-raw'));
  const packed = new Uint8Array(CHECKSUM_BYTES + deflated.length);
  packed.set(await checksum(json));
  packed.set(deflated, CHECKSUM_BYTES);
  const payload = `${FORMAT}.${toBase64Url(packed)}`;
  if (payload.length > MAX_LINK_CHARS) {
    throw new ShareLinkError(
      `${kind.these} need a link of ${payload.length.toLocaleString('en')} characters, over the ${MAX_LINK_CHARS.toLocaleString('en')} a link may have; ${kind.tooBigHint}`,
    );
  }
  return `${kind.param}=${payload}`;
}

/** The `kind` value in a URL fragment ('#param=…' or 'param=…'), and whether it carried a checksum;
 *  null when the fragment has no such parameter. Refuses with a ShareLinkError, bounded at every step. */
export async function decodeLink<T>(
  kind: LinkKind<T>,
  fragment: string,
): Promise<{ value: T; checked: boolean } | null> {
  // Size first: nothing below runs on more than MAX_FRAGMENT_CHARS of text.
  const params = fragment.replace(/^#/, '');
  if (params.length > MAX_FRAGMENT_CHARS) throw tooLong(params.length);
  const payload = new URLSearchParams(params).get(kind.param);
  if (payload === null) return null;
  if (payload.length > MAX_LINK_CHARS) throw tooLong(payload.length);

  const dot = payload.indexOf('.');
  const format = dot < 0 && kind.readsFormat1 ? 1 : payload.slice(0, dot) === String(FORMAT) ? FORMAT : null;
  if (format === null) {
    throw new ShareLinkError(
      `it is link format ${quote(dot < 0 ? '1' : payload.slice(0, dot), 4)}, which this app does not read; update the app or ask for a new link`,
    );
  }
  const bytes = fromBase64Url(payload.slice(dot + 1));
  const expected = format === FORMAT ? bytes.subarray(0, CHECKSUM_BYTES) : null;
  const json = await inflateBounded(
    expected ? bytes.subarray(CHECKSUM_BYTES) : bytes,
    kind.maxJsonBytes,
  ).catch(() => {
    throw new ShareLinkError(`it is damaged or cut short (it does not unpack); ${AGAIN}`);
  });
  if (json === null) {
    throw new ShareLinkError(
      `it unpacks to over ${sizeText(kind.maxJsonBytes)}, more than any ${kind.noun} a link carries; ask the sender for a new link`,
    );
  }
  if (expected && (await checksum(json)).some((b, i) => b !== expected[i])) {
    throw new ShareLinkError(`it is damaged (its checksum does not match its contents); ${AGAIN}`);
  }
  return { value: parseValue(kind, json, format), checked: expected !== null };
}

/** "1 MiB", "128 KiB". */
const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;

function parseValue<T>(kind: LinkKind<T>, json: Uint8Array, format: number): T {
  let value: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(json);
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      throw new ShareLinkError(
        `its data nests over ${MAX_JSON_DEPTH} levels deep, which no ${kind.noun} does; ask the sender for a new link`,
      );
    }
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    throw new ShareLinkError(`it does not hold JSON text; ${AGAIN}`);
  }
  const result = kind.check(value, format);
  if ('problems' in result) {
    throw new ShareLinkError(
      `${summarise(result.problems)}; ask the sender to fix this and share a new link`,
    );
  }
  return result.value;
}
