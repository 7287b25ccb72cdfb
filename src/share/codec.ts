// Share links for edit sets (DESIGN §7): `#edits=` + base64url(deflate-raw(JSON)) with a schema
// version. Decoding validates every field and fails with a readable ShareLinkError; it never touches
// stored edits (the caller asks the person before importing anything).

/** What a link carries: the edits in the order they were made, and the model they were made on. */
export interface SharedEditSet {
  readonly version: 1;
  readonly method: 'memoir';
  /** The model the edits were made on (describeSource), e.g. "/models/editscope-facts". */
  readonly model: string;
  readonly edits: readonly { readonly prompt: string; readonly target: string }[];
}

export const SHARE_PARAM = 'edits';
/** Bounds that keep a link openable and its import finite. */
export const MAX_SHARED_EDITS = 200;
const MAX_TEXT = 500;

export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

async function pipeBytes(bytes: Uint8Array, stream: CompressionStream | DecompressionStream) {
  const piped = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError('the link is not base64url text');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

/** The URL fragment (without '#') that carries `set`. */
export async function encodeEditSet(set: SharedEditSet): Promise<string> {
  validate(set);
  const json = new TextEncoder().encode(JSON.stringify(set));
  return `${SHARE_PARAM}=${toBase64Url(await pipeBytes(json, new CompressionStream('deflate-raw')))}`;
}

/** The edit set in a URL fragment ('#edits=…' or 'edits=…'); null when the fragment carries none. */
export async function decodeEditSet(fragment: string): Promise<SharedEditSet | null> {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const payload = params.get(SHARE_PARAM);
  if (payload === null) return null;
  let json: unknown;
  try {
    const bytes = await pipeBytes(fromBase64Url(payload), new DecompressionStream('deflate-raw'));
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    throw new ShareLinkError('the link is cut short or damaged (it does not decompress to an edit set)');
  }
  validate(json);
  return json;
}

function validate(value: unknown): asserts value is SharedEditSet {
  const problems: string[] = [];
  const set = value as Partial<Record<keyof SharedEditSet, unknown>> | null;
  if (typeof set !== 'object' || set === null || Array.isArray(set)) {
    throw new ShareLinkError('the link does not hold an edit set');
  }
  if (set.version !== 1) problems.push(`version must be 1, got ${JSON.stringify(set.version)}`);
  if (set.method !== 'memoir') problems.push(`method must be "memoir", got ${JSON.stringify(set.method)}`);
  if (typeof set.model !== 'string' || !set.model) problems.push('model must be a non-empty string');
  if (!Array.isArray(set.edits) || set.edits.length === 0) {
    problems.push('edits must be a non-empty list');
  } else if (set.edits.length > MAX_SHARED_EDITS) {
    problems.push(`at most ${MAX_SHARED_EDITS} edits per link, got ${set.edits.length}`);
  } else {
    set.edits.forEach((edit: unknown, i: number) => {
      const e = edit as Record<string, unknown> | null;
      for (const field of ['prompt', 'target'] as const) {
        const text = e?.[field];
        if (typeof text !== 'string' || !text.trim() || text.length > MAX_TEXT) {
          problems.push(`edits[${i}].${field} must be text of 1 to ${MAX_TEXT} characters`);
        }
      }
    });
  }
  if (problems.length > 0) throw new ShareLinkError(problems.join('; '));
}
