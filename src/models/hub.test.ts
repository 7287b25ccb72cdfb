// hub: ref parsing (with revisions) and URLs for hub and local sources, byte progress (monotone, ends
// at the total), cancellation, missing files (404 or an SPA fallback page), gated repos, the Cache API
// path (only whole, decodable downloads are cached; short or damaged entries are refetched; a full
// storage does not fail the load), and the access token (hub host only, in no message).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  authorizedFetch,
  describeSource,
  fetchBytes,
  fetchJson,
  fileUrl,
  parseModelRef,
  type FileProgress,
} from './hub';

/** A response streaming `bytes` in chunks of 4, with content-length. */
function chunked(bytes: Uint8Array, onPull?: (i: number) => void): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      onPull?.(i);
      if (i >= bytes.length) return ctrl.close();
      ctrl.enqueue(bytes.slice(i, i + 4));
      i += 4;
    },
  });
  return new Response(body, { headers: { 'content-length': String(bytes.length) } });
}

/** A Cache API stand-in installed as `caches`; `put` runs `onPut` first (which may throw). */
function fakeCache(onPut?: () => void) {
  const store = new Map<string, Response>();
  const cache = {
    match: async (url: string) => store.get(url)?.clone(),
    put: async (url: string, res: Response) => {
      onPut?.();
      store.set(url, res);
    },
    delete: async (url: string) => store.delete(url),
  };
  vi.stubGlobal('caches', { open: async () => cache });
  return store;
}

const hub = parseModelRef('HuggingFaceTB/SmolLM2-135M');
const local = parseModelRef('/models/editscope-facts');

describe('hub', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('resolves hub ids and local paths to file URLs', () => {
    expect(fileUrl(hub, 'config.json')).toBe(
      'https://huggingface.co/HuggingFaceTB/SmolLM2-135M/resolve/main/config.json',
    );
    expect(local).toEqual({ kind: 'local', base: '/models', repo: 'editscope-facts' });
    expect(fileUrl(local, 'model.safetensors')).toBe('/models/editscope-facts/model.safetensors');
    expect(fileUrl(parseModelRef('http://127.0.0.1:5173/models/x/'), 'a.json')).toBe(
      'http://127.0.0.1:5173/models/x/a.json',
    );
    expect(() => parseModelRef('not a model')).toThrow(/neither a hub repo id .* nor a URL\nHINT/);
  });

  it('reports byte progress that never decreases and ends at the total', async () => {
    const bytes = new Uint8Array(10).map((_, i) => i);
    const seen: FileProgress[] = [];
    const buf = await fetchBytes(local, 'w.bin', {
      fetch: async () => chunked(bytes),
      onProgress: (p) => seen.push(p),
    });
    expect(new Uint8Array(buf)).toEqual(bytes);
    expect(seen.map((p) => p.loaded)).toEqual([0, 4, 8, 10]);
    expect(seen.every((p) => p.total === 10 && p.file === 'w.bin')).toBe(true);
  });

  it('cancels mid-download with CANCELLED', async () => {
    const ctrl = new AbortController();
    const res = chunked(new Uint8Array(40), (i) => i === 8 && ctrl.abort());
    await expect(
      fetchBytes(local, 'w.bin', { fetch: async () => res, signal: ctrl.signal }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('treats 404 and an SPA fallback page as missing; other HTTP errors are LOAD errors', async () => {
    const html = async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } });
    expect(await fetchJson(local, 'generation_config.json', { fetch: html, optional: true })).toBeNull();
    const notFound = async () => new Response('', { status: 404 });
    await expect(fetchBytes(local, 'model.safetensors', { fetch: notFound })).rejects.toThrow(
      /hub: \/models\/editscope-facts\/model.safetensors not found \(404\)/,
    );
    const broken = async () => new Response('', { status: 500 });
    await expect(fetchBytes(hub, 'config.json', { fetch: broken })).rejects.toThrow(
      /hub: https:\/\/huggingface.co\/HuggingFaceTB\/SmolLM2-135M\/resolve\/main\/config.json answered HTTP 500/,
    );
  });

  it('serves hub files from the Cache API after the first download; local files bypass it', async () => {
    fakeCache();
    const fetchFn = vi.fn(async () => new Response('{"a":1}'));
    expect(await fetchJson(hub, 'config.json', { fetch: fetchFn })).toEqual({ a: 1 });
    expect(await fetchJson(hub, 'config.json', { fetch: fetchFn })).toEqual({ a: 1 });
    expect(fetchFn).toHaveBeenCalledTimes(1);
    await fetchJson(local, 'config.json', { fetch: fetchFn });
    await fetchJson(local, 'config.json', { fetch: fetchFn });
    expect(fetchFn).toHaveBeenCalledTimes(3);
  });

  it('reads a revision after @ and puts it, encoded, in the URL and the model name', () => {
    const pinned = parseModelRef('Qwen/Qwen2.5-0.5B@refs/pr/1');
    expect(pinned).toEqual({ kind: 'hub', repo: 'Qwen/Qwen2.5-0.5B', revision: 'refs/pr/1' });
    expect(fileUrl(pinned, 'config.json')).toBe(
      'https://huggingface.co/Qwen/Qwen2.5-0.5B/resolve/refs%2Fpr%2F1/config.json',
    );
    expect(describeSource(pinned)).toBe('Qwen/Qwen2.5-0.5B@refs/pr/1');
    expect(parseModelRef('a/b@main')).toEqual({ kind: 'hub', repo: 'a/b' });
    for (const bad of ['a/b@', 'a/b@../x', 'a/b@v1..2', 'a/b@x y'])
      expect(() => parseModelRef(bad)).toThrow(/neither a hub repo id/);
  });

  it('reports a download cut short (fewer bytes than content-length, or a stream error) and caches nothing', async () => {
    const store = fakeCache();
    const short = async () => new Response(new Uint8Array(20), { headers: { 'content-length': '40' } });
    await expect(fetchBytes(hub, 'model.safetensors', { fetch: short })).rejects.toThrow(
      /hub: the download of model.safetensors was cut short after 20 of 40 bytes \(the connection closed early\)\nHINT: try again/,
    );
    const reset = async () => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(ctrl) {
          if (sent) return ctrl.error(new TypeError('network error'));
          ctrl.enqueue(new Uint8Array(8));
          sent = true;
        },
      });
      return new Response(body, { headers: { 'content-length': '40' } });
    };
    await expect(fetchBytes(hub, 'model.safetensors', { fetch: reset })).rejects.toThrow(
      /cut short after 8 of 40 bytes \(network error\)/,
    );
    expect(store.size).toBe(0);
    // content-length counts a compressed body's encoded bytes (a tiny file gzips to more bytes than
    // it has): not comparable with the decoded bytes, so not cut short.
    const gzip = async () =>
      new Response('{"a":1}', { headers: { 'content-length': '27', 'content-encoding': 'gzip' } });
    expect(await fetchJson(hub, 'config.json', { fetch: gzip })).toEqual({ a: 1 });
  });

  it('never caches a file that does not decode', async () => {
    const store = fakeCache();
    const junk = async () => new Response('{"a":');
    await expect(fetchJson(hub, 'config.json', { fetch: junk })).rejects.toThrow(/is not valid JSON/);
    expect(store.size).toBe(0);
  });

  it('drops a cached entry that is short or no longer decodes, and downloads it again', async () => {
    const store = fakeCache();
    const fetchFn = vi.fn(async () => new Response('{"a":1}'));
    // Cut short: any bytes decode as bytes, only the stored length tells.
    store.set(fileUrl(hub, 'w.bin'), new Response('{"a"', { headers: { 'content-length': '7' } }));
    expect(new TextDecoder().decode(await fetchBytes(hub, 'w.bin', { fetch: fetchFn }))).toBe('{"a":1}');
    const url = fileUrl(hub, 'config.json');
    store.set(url, new Response('{"a":}!', { headers: { 'content-length': '7' } })); // damaged
    expect(await fetchJson(hub, 'config.json', { fetch: fetchFn })).toEqual({ a: 1 });
    expect(fetchFn).toHaveBeenCalledTimes(2);
    expect(await store.get(url)!.clone().text()).toBe('{"a":1}');
    expect(await fetchJson(hub, 'config.json', { fetch: fetchFn })).toEqual({ a: 1 });
    expect(fetchFn).toHaveBeenCalledTimes(2);
  });

  it('a full storage does not fail the download: the caller is told the file was not cached', async () => {
    fakeCache(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const notCached: string[] = [];
    const value = await fetchJson(hub, 'config.json', {
      fetch: async () => new Response('{"a":1}'),
      onNotCached: (file, reason) => notCached.push(`${file}: ${reason}`),
    });
    expect(value).toEqual({ a: 1 });
    expect(notCached).toEqual(["config.json: the browser's storage is full"]);
  });

  it('explains gated repos (401/403) and missing files (404) with what to check', async () => {
    const status = (code: number) => async () => new Response('', { status: code });
    await expect(fetchJson(hub, 'config.json', { fetch: status(401) })).rejects.toThrow(
      /^hub: HuggingFaceTB\/SmolLM2-135M is gated or private: .*config.json answered HTTP 401\nHINT: accept the model's licence at https:\/\/huggingface.co\/HuggingFaceTB\/SmolLM2-135M \(signed in\), then load it again with an access token/,
    );
    await expect(fetchJson(hub, 'config.json', { fetch: status(403), accessToken: 'hf_x' })).rejects.toThrow(
      /HTTP 403\nHINT: the access token was not accepted for this repo/,
    );
    await expect(fetchJson(parseModelRef('a/b@v2'), 'config.json', { fetch: status(404) })).rejects.toThrow(
      /config.json not found \(404\)\nHINT: check the repo id "a\/b" and the revision "v2"/,
    );
  });

  it('sends the access token to the hub host only, and no message contains it', async () => {
    const token = 'hf_SECRETtoken123';
    const seen: { url: string; auth: string | null }[] = [];
    const record: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
      return new Response('', { status: 401 });
    };
    const messages: string[] = [];
    const fail = (p: Promise<unknown>) => p.catch((e: Error) => messages.push(e.message));
    await fail(fetchJson(hub, 'config.json', { fetch: record, accessToken: token }));
    await fail(fetchJson(local, 'config.json', { fetch: record, accessToken: token }));
    const viaHub = authorizedFetch(record, hub, token);
    await viaHub('https://cdn-lfs.hf.co/x', {});
    await viaHub('https://huggingface.co.evil.io/x', {});
    expect(seen.map((s) => s.auth)).toEqual([`Bearer ${token}`, null, null, null]);
    await fail(
      fetchJson(hub, 'config.json', {
        accessToken: token,
        fetch: async () => {
          throw new TypeError('Failed to fetch');
        },
      }),
    );
    await fail(
      fetchBytes(hub, 'w', {
        accessToken: token,
        fetch: async () => new Response(new Uint8Array(2), { headers: { 'content-length': '9' } }),
      }),
    );
    expect(messages).toHaveLength(4);
    for (const m of messages) expect(m).not.toContain(token);
  });
});
