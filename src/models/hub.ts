// Where model files come from: a Hugging Face hub repo (`${host}/${repo}/resolve/${revision}/${file}`)
// or a local base URL in HF repo layout (`${base}/${repo}/${file}`, e.g. the bundled `/models/<name>/`).
// Fetches with byte progress and AbortSignal; hub files go through the Cache API when it exists, so a
// model downloads once, and only whole files that decode are cached: a download cut short is an error,
// and a cached copy that is short or no longer decodes is dropped and fetched again. An access token
// goes to the hub host only and appears in no message. Not a parser: callers pass one (`decode`).

import { EngineError } from '../engine/errors';

export type ModelSource =
  | { kind: 'hub'; repo: string; host?: string; revision?: string }
  | { kind: 'local'; base: string; repo: string };

export interface FileProgress {
  file: string;
  loaded: number; // bytes so far
  total: number; // bytes expected; 0 when the server sent no content-length
  from: 'cache' | 'network'; // where the bytes come from: this browser's Cache API or a download
}

export interface FetchOptions {
  signal?: AbortSignal;
  onProgress?: (p: FileProgress) => void;
  /** Injected in Node tests to serve files from disk; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** A hub access token, held in memory for this load: sent as `Authorization: Bearer` to the source's
   *  hub host only (never to local sources or other hosts), and never stored or put in a message. */
  accessToken?: string;
  /** A file was downloaded and decoded but the Cache API refused to store it (e.g. storage full): the
   *  load goes on, and the file downloads again next time. */
  onNotCached?: (file: string, reason: string) => void;
}

const HUB_HOST = 'https://huggingface.co';
const CACHE_NAME = 'editscope-models-v1';
/** A git branch, tag or commit; `refs/pr/1` style names too, but no `..` that could climb the URL. */
const REVISION = /^\w[\w./-]*$/;

/** "owner/name" or "owner/name@revision" → hub; "/models/x", "./x", "http(s)://host/dir/x" → local
 *  (parent dir + last segment). */
export function parseModelRef(ref: string): ModelSource {
  const trimmed = ref.replace(/\/+$/, '');
  if (/^(\/|\.\/|\.\.\/|https?:\/\/)/.test(trimmed)) {
    const cut = trimmed.lastIndexOf('/');
    return { kind: 'local', base: trimmed.slice(0, cut), repo: trimmed.slice(cut + 1) };
  }
  const [, repo, revision] = /^([\w.-]+\/[\w.-]+)(?:@(.+))?$/.exec(trimmed) ?? [];
  if (repo && (revision === undefined || (REVISION.test(revision) && !revision.includes('..'))))
    return revision === undefined || revision === 'main'
      ? { kind: 'hub', repo }
      : { kind: 'hub', repo, revision };
  throw new EngineError(
    'LOAD',
    `hub: "${ref}" is neither a hub repo id (with an optional @revision) nor a URL`,
    'use "owner/name" (e.g. HuggingFaceTB/SmolLM2-135M), "owner/name@revision" or a path like /models/editscope-facts',
  );
}

/** The model's name in the UI and as the key of its stored edits: a revision other than main is part of it. */
export function describeSource(src: ModelSource): string {
  if (src.kind === 'local') return `${src.base}/${src.repo}`;
  return src.revision ? `${src.repo}@${src.revision}` : src.repo;
}

export function fileUrl(src: ModelSource, file: string): string {
  if (src.kind === 'hub')
    return `${src.host ?? HUB_HOST}/${src.repo}/resolve/${encodeURIComponent(src.revision ?? 'main')}/${file}`;
  return `${src.base}/${src.repo}/${file}`;
}

/** `fetchFn` that adds the access token to requests for the source's hub host and to nothing else.
 *  (Browsers and Node drop Authorization on a redirect to another origin, e.g. the hub's file CDN.) */
export function authorizedFetch(
  fetchFn: typeof fetch,
  src: ModelSource,
  token: string | undefined,
): typeof fetch {
  if (!token || src.kind !== 'hub') return fetchFn;
  const hub = new URL(src.host ?? HUB_HOST).origin;
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!URL.canParse(url) || new URL(url).origin !== hub) return fetchFn(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('Authorization', `Bearer ${token}`);
    return fetchFn(input, { ...init, headers });
  };
}

export async function openCache(src: ModelSource): Promise<Cache | null> {
  // Local files are served by the app (and precached by its service worker); caching them here would
  // keep stale copies across app updates. Hub files are immutable per revision in practice.
  if (src.kind !== 'hub' || typeof caches === 'undefined') return null;
  try {
    return await caches.open(CACHE_NAME);
  } catch {
    return null; // opaque origins and some private modes refuse the Cache API: just download
  }
}

export const cancelled = (file: string) => new EngineError('CANCELLED', `hub: download of ${file} cancelled`);

export function cutShort(file: string, loaded: number, expected: number, why: string): EngineError {
  const of = expected ? ` of ${expected}` : '';
  return new EngineError(
    'LOAD',
    `hub: the download of ${file} was cut short after ${loaded}${of} bytes (${why})`,
    'try again; nothing of it was cached',
  );
}

/** Reads a response body chunk by chunk, reporting progress (loaded never decreases); a stream error
 *  or fewer bytes than content-length is a download cut short. */
async function readBody(res: Response, file: string, opts: FetchOptions): Promise<ArrayBuffer> {
  const total = Number(res.headers.get('content-length') ?? 0);
  // content-length counts the encoded bytes of a compressed body: only a plain body can be measured.
  const encoding = res.headers.get('content-encoding');
  const expected = !encoding || encoding === 'identity' ? total : 0;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = (res.body ?? new Blob([]).stream()).getReader(); // null body: e.g. HTTP 204
  opts.onProgress?.({ file, loaded: 0, total, from: 'network' });
  for (;;) {
    if (opts.signal?.aborted) {
      await reader.cancel();
      throw cancelled(file);
    }
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (e) {
      if (opts.signal?.aborted) throw cancelled(file);
      throw cutShort(file, loaded, expected, (e as Error).message);
    }
    if (chunk.done) break;
    chunks.push(chunk.value);
    loaded += chunk.value.byteLength;
    opts.onProgress?.({ file, loaded, total: Math.max(total, loaded), from: 'network' });
  }
  if (loaded < expected) throw cutShort(file, loaded, expected, 'the connection closed early');
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out.buffer;
}

/** A cached copy, decoded; null (and the entry dropped) when it is short or no longer decodes, e.g. one
 *  stored before these checks existed. Read whole, without progress: it is local. */
async function fromCache<T>(
  cache: Cache,
  url: string,
  file: string,
  opts: FetchOptions,
  decode: Decode<T>,
): Promise<{ value: T } | null> {
  const res = await cache.match(url);
  if (!res) return null;
  try {
    const buf = await res.arrayBuffer();
    if (Number(res.headers.get('content-length')) !== buf.byteLength) throw new Error('short entry');
    const value = decode(buf, url);
    opts.onProgress?.({ file, loaded: buf.byteLength, total: buf.byteLength, from: 'cache' });
    return { value };
  } catch {
    await cache.delete(url);
    return null;
  }
}

/** Stores a checked download of `bytes` bytes (a stream: what a streaming reader passes on; aborting
 *  it stores nothing); a refusal (quota) is reported, never thrown: the file is already loaded. */
export async function store(
  cache: Cache,
  url: string,
  body: ArrayBuffer | ReadableStream<Uint8Array>,
  bytes: number,
  file: string,
  opts: FetchOptions,
) {
  try {
    await cache.put(
      url,
      new Response(body, {
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
      }),
    );
  } catch (e) {
    const full = (e as Error).name === 'QuotaExceededError';
    opts.onNotCached?.(
      file,
      full ? "the browser's storage is full" : `the browser did not store it (${(e as Error).message})`,
    );
  }
}

function refused(src: ModelSource, url: string, status: number, withToken: boolean): EngineError {
  if (src.kind !== 'hub') return new EngineError('LOAD', `hub: ${url} answered HTTP ${status}`);
  const page = `${src.host ?? HUB_HOST}/${src.repo}`;
  return new EngineError(
    'LOAD',
    `hub: ${src.repo} is gated or private: ${url} answered HTTP ${status}`,
    withToken
      ? `the access token was not accepted for this repo: accept the licence at ${page} with the account the token belongs to, and check that the token can read it`
      : `accept the model's licence at ${page} (signed in), then load it again with an access token (${HUB_HOST}/settings/tokens, read access). The hub also answers ${status} for a repo that does not exist: check the id`,
  );
}

function missing(src: ModelSource, file: string): EngineError {
  const url = fileUrl(src, file);
  if (src.kind === 'local') return new EngineError('LOAD', `hub: ${url} not found (404)`);
  return new EngineError(
    'LOAD',
    `hub: ${url} not found (404)`,
    `check the repo id "${src.repo}" and the revision "${src.revision ?? 'main'}"`,
  );
}

/** The response for a file; null when it does not exist (404, or an SPA fallback page in its place). */
export async function download(
  src: ModelSource,
  url: string,
  file: string,
  opts: FetchOptions,
): Promise<Response | null> {
  let res: Response;
  try {
    res = await authorizedFetch(opts.fetch ?? fetch, src, opts.accessToken)(url, { signal: opts.signal });
  } catch (e) {
    if (opts.signal?.aborted) throw cancelled(file);
    throw new EngineError(
      'LOAD',
      `hub: fetching ${url} failed (${(e as Error).message})`,
      'check the network connection',
    );
  }
  // A dev server with an SPA fallback answers 200 text/html for any missing path.
  if (res.status === 404 || (res.ok && (res.headers.get('content-type') ?? '').startsWith('text/html')))
    return null;
  if (res.status === 401 || res.status === 403) throw refused(src, url, res.status, !!opts.accessToken);
  if (!res.ok) throw new EngineError('LOAD', `hub: ${url} answered HTTP ${res.status}`);
  return res;
}

/** Turns a file's bytes into what the caller wants, throwing LOAD when they are malformed. */
export type Decode<T> = (bytes: ArrayBuffer, url: string) => T;

/** The file, decoded. A download is decoded before it is cached, so a malformed or cut-short file is
 *  never stored; a missing file is a LOAD error, or null when `optional` is set. */
export async function fetchDecoded<T>(
  src: ModelSource,
  file: string,
  decode: Decode<T>,
  opts?: FetchOptions & { optional?: false },
): Promise<T>;
export async function fetchDecoded<T>(
  src: ModelSource,
  file: string,
  decode: Decode<T>,
  opts: FetchOptions & { optional: boolean },
): Promise<T | null>;
export async function fetchDecoded<T>(
  src: ModelSource,
  file: string,
  decode: Decode<T>,
  opts: FetchOptions & { optional?: boolean } = {},
): Promise<T | null> {
  const url = fileUrl(src, file);
  if (opts.signal?.aborted) throw cancelled(file);
  const cache = await openCache(src);
  const cached = cache && (await fromCache(cache, url, file, opts, decode));
  if (cached) return cached.value;
  const res = await download(src, url, file, opts);
  if (!res) {
    if (opts.optional) return null;
    throw missing(src, file);
  }
  const bytes = await readBody(res, file, opts);
  const value = decode(bytes, url);
  if (cache) await store(cache, url, bytes, bytes.byteLength, file, opts);
  return value;
}

const asBytes: Decode<ArrayBuffer> = (bytes) => bytes;
const asText: Decode<string> = (bytes) => new TextDecoder().decode(bytes);
const asJson: Decode<unknown> = (bytes, url) => {
  try {
    return JSON.parse(asText(bytes, url));
  } catch (e) {
    throw new EngineError('LOAD', `hub: ${url} is not valid JSON (${(e as Error).message})`);
  }
};

/** The file's bytes; a missing file is a LOAD error. */
export function fetchBytes(src: ModelSource, file: string, opts: FetchOptions = {}): Promise<ArrayBuffer> {
  return fetchDecoded(src, file, asBytes, opts);
}

/** The file as UTF-8 text, or null when the file does not exist and `optional` is set. */
export function fetchText(
  src: ModelSource,
  file: string,
  opts: FetchOptions & { optional?: boolean } = {},
): Promise<string | null> {
  return fetchDecoded(src, file, asText, { ...opts, optional: !!opts.optional });
}

/** Parsed JSON, or null when the file does not exist and `optional` is set. */
export function fetchJson(
  src: ModelSource,
  file: string,
  opts: FetchOptions & { optional?: boolean } = {},
): Promise<unknown> {
  return fetchDecoded(src, file, asJson, { ...opts, optional: !!opts.optional });
}

/** One hub model in this browser's cache: its files at one revision, with their sizes. */
export interface CachedModel {
  source: ModelSource & { kind: 'hub' };
  files: { file: string; url: string; bytes: number }[];
  bytes: number;
}

const RESOLVE = /^(https?:\/\/[^/]+)\/([\w.-]+\/[\w.-]+)\/resolve\/([^/]+)\/(.+)$/;

/** Cached file URLs and sizes → models by host, repo and revision (a revision that is not main is a
 *  model of its own), largest first; URLs not in the hub's layout are left out. Pure, for tests. */
export function groupCachedModels(entries: { url: string; bytes: number }[]): CachedModel[] {
  const byKey = new Map<string, CachedModel>();
  for (const { url, bytes } of entries) {
    const [, host, repo, rev, file] = RESOLVE.exec(url) ?? [];
    if (!file) continue;
    const revision = decodeURIComponent(rev);
    const key = `${host} ${repo} ${revision}`;
    let model = byKey.get(key);
    if (!model) {
      const source: CachedModel['source'] = { kind: 'hub', repo };
      if (host !== HUB_HOST) source.host = host;
      if (revision !== 'main') source.revision = revision;
      model = { source, files: [], bytes: 0 };
      byKey.set(key, model);
    }
    model.files.push({ file, url, bytes });
    model.bytes += bytes;
  }
  for (const m of byKey.values()) m.files.sort((a, b) => a.file.localeCompare(b.file));
  return [...byKey.values()].sort((a, b) => b.bytes - a.bytes);
}

/** The hub models this browser keeps (the content-length each entry was stored with); none without
 *  the Cache API. */
export async function listCachedModels(): Promise<CachedModel[]> {
  if (typeof caches === 'undefined' || !(await caches.has(CACHE_NAME))) return [];
  const cache = await caches.open(CACHE_NAME);
  const entries: { url: string; bytes: number }[] = [];
  for (const request of await cache.keys()) {
    const res = await cache.match(request);
    entries.push({ url: request.url, bytes: Number(res?.headers.get('content-length') ?? 0) });
  }
  return groupCachedModels(entries);
}

/** Drops one model's cached files: its next load downloads them again. */
export async function deleteCachedModel(model: CachedModel): Promise<void> {
  const cache = await caches.open(CACHE_NAME);
  for (const f of model.files) await cache.delete(f.url);
}

/** Drops every cached hub file. */
export async function clearModelCache(): Promise<void> {
  await caches.delete(CACHE_NAME);
}
