// Where model files come from: a Hugging Face hub repo (`${host}/${repo}/resolve/${revision}/${file}`)
// or a local base URL in HF repo layout (`${base}/${repo}/${file}`, e.g. the bundled `/models/<name>/`).
// Fetches with byte progress and AbortSignal; hub files go through the Cache API when it exists, so a
// model downloads once. Not a parser: callers get bytes or JSON and hand them to config/safetensors.

import { EngineError } from '../engine/errors';

export type ModelSource =
  | { kind: 'hub'; repo: string; host?: string; revision?: string }
  | { kind: 'local'; base: string; repo: string };

export interface FileProgress {
  file: string;
  loaded: number; // bytes so far
  total: number; // bytes expected; 0 when the server sent no content-length
}

export interface FetchOptions {
  signal?: AbortSignal;
  onProgress?: (p: FileProgress) => void;
  /** Injected in Node tests to serve files from disk; defaults to the global fetch. */
  fetch?: typeof fetch;
}

const HUB_HOST = 'https://huggingface.co';
const CACHE_NAME = 'editscope-models-v1';

/** "owner/name" → hub; "/models/x", "./x", "http(s)://host/dir/x" → local (parent dir + last segment). */
export function parseModelRef(ref: string): ModelSource {
  const trimmed = ref.replace(/\/+$/, '');
  if (/^(\/|\.\/|\.\.\/|https?:\/\/)/.test(trimmed)) {
    const cut = trimmed.lastIndexOf('/');
    return { kind: 'local', base: trimmed.slice(0, cut), repo: trimmed.slice(cut + 1) };
  }
  if (/^[\w.-]+\/[\w.-]+$/.test(trimmed)) return { kind: 'hub', repo: trimmed };
  throw new EngineError(
    'LOAD',
    `hub: "${ref}" is neither a hub repo id nor a URL`,
    'use "owner/name" (e.g. HuggingFaceTB/SmolLM2-135M) or a path like /models/editscope-facts',
  );
}

export function describeSource(src: ModelSource): string {
  return src.kind === 'hub' ? src.repo : `${src.base}/${src.repo}`;
}

export function fileUrl(src: ModelSource, file: string): string {
  if (src.kind === 'hub')
    return `${src.host ?? HUB_HOST}/${src.repo}/resolve/${src.revision ?? 'main'}/${file}`;
  return `${src.base}/${src.repo}/${file}`;
}

async function openCache(src: ModelSource): Promise<Cache | null> {
  // Local files are served by the app (and precached by its service worker); caching them here would
  // keep stale copies across app updates. Hub files are immutable per revision in practice.
  if (src.kind !== 'hub' || typeof caches === 'undefined') return null;
  try {
    return await caches.open(CACHE_NAME);
  } catch {
    return null; // opaque origins and some private modes refuse the Cache API: just download
  }
}

/** Reads a response body chunk by chunk, reporting progress; loaded never decreases. */
async function readBody(res: Response, file: string, opts: FetchOptions): Promise<ArrayBuffer> {
  const total = Number(res.headers.get('content-length') ?? 0);
  if (!res.body) {
    const buf = await res.arrayBuffer();
    opts.onProgress?.({ file, loaded: buf.byteLength, total: total || buf.byteLength });
    return buf;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = res.body.getReader();
  opts.onProgress?.({ file, loaded: 0, total });
  for (;;) {
    if (opts.signal?.aborted) {
      await reader.cancel();
      throw new EngineError('CANCELLED', `hub: download of ${file} cancelled`);
    }
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    opts.onProgress?.({ file, loaded, total: Math.max(total, loaded) });
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out.buffer;
}

/** GETs a file; null when it does not exist (404, or an SPA fallback page served in its place). */
async function get(src: ModelSource, file: string, opts: FetchOptions): Promise<ArrayBuffer | null> {
  const url = fileUrl(src, file);
  if (opts.signal?.aborted) throw new EngineError('CANCELLED', `hub: download of ${file} cancelled`);
  const cache = await openCache(src);
  const cached = await cache?.match(url);
  if (cached) return readBody(cached, file, opts);
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, { signal: opts.signal });
  } catch (e) {
    if (opts.signal?.aborted) throw new EngineError('CANCELLED', `hub: download of ${file} cancelled`);
    throw new EngineError(
      'LOAD',
      `hub: fetching ${url} failed (${(e as Error).message})`,
      'check the network connection',
    );
  }
  // A dev server with an SPA fallback answers 200 text/html for any missing path.
  if (res.status === 404 || (res.ok && (res.headers.get('content-type') ?? '').startsWith('text/html')))
    return null;
  if (!res.ok) {
    const hint = res.status === 401 || res.status === 403 ? 'the repo may be gated or private' : undefined;
    throw new EngineError('LOAD', `hub: ${url} answered HTTP ${res.status}`, hint);
  }
  const buf = await readBody(res, file, opts);
  await cache?.put(
    url,
    new Response(buf, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(buf.byteLength) },
    }),
  );
  return buf;
}

/** The file's bytes; a missing file is a LOAD error. */
export async function fetchBytes(
  src: ModelSource,
  file: string,
  opts: FetchOptions = {},
): Promise<ArrayBuffer> {
  const buf = await get(src, file, opts);
  if (!buf) throw new EngineError('LOAD', `hub: ${fileUrl(src, file)} not found (404)`);
  return buf;
}

/** The file as UTF-8 text, or null when the file does not exist and `optional` is set. */
export async function fetchText(
  src: ModelSource,
  file: string,
  opts: FetchOptions & { optional?: boolean } = {},
): Promise<string | null> {
  const buf = await get(src, file, opts);
  if (!buf) {
    if (opts.optional) return null;
    throw new EngineError('LOAD', `hub: ${fileUrl(src, file)} not found (404)`);
  }
  return new TextDecoder().decode(buf);
}

/** Parsed JSON, or null when the file does not exist and `optional` is set. */
export async function fetchJson(
  src: ModelSource,
  file: string,
  opts: FetchOptions & { optional?: boolean } = {},
): Promise<unknown> {
  const text = await fetchText(src, file, opts);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new EngineError('LOAD', `hub: ${fileUrl(src, file)} is not valid JSON (${(e as Error).message})`);
  }
}

/** The file's bytes, or null when it does not exist (used to probe for sharded checkpoints). */
export async function fetchOptionalBytes(
  src: ModelSource,
  file: string,
  opts: FetchOptions = {},
): Promise<ArrayBuffer | null> {
  return get(src, file, opts);
}
