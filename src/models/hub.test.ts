// hub: ref parsing and URLs for hub and local sources, byte progress (monotone, ends at the total),
// cancellation, missing files (404 or an SPA fallback page), HTTP errors, and the Cache API path.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchBytes, fetchJson, fileUrl, parseModelRef, type FileProgress } from './hub';

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
    expect(() => parseModelRef('not a model')).toThrow(/neither a hub repo id nor a URL\nHINT/);
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
    const gated = async () => new Response('', { status: 401 });
    await expect(fetchBytes(hub, 'config.json', { fetch: gated })).rejects.toThrow(
      /HTTP 401\nHINT: the repo may be gated/,
    );
  });

  it('serves hub files from the Cache API after the first download; local files bypass it', async () => {
    const store = new Map<string, Response>();
    const cache = {
      match: async (url: string) => store.get(url)?.clone(),
      put: async (url: string, res: Response) => void store.set(url, res),
    };
    vi.stubGlobal('caches', { open: async () => cache });
    const fetchFn = vi.fn(async () => new Response('{"a":1}'));
    expect(await fetchJson(hub, 'config.json', { fetch: fetchFn })).toEqual({ a: 1 });
    expect(await fetchJson(hub, 'config.json', { fetch: fetchFn })).toEqual({ a: 1 });
    expect(fetchFn).toHaveBeenCalledTimes(1);
    await fetchJson(local, 'config.json', { fetch: fetchFn });
    await fetchJson(local, 'config.json', { fetch: fetchFn });
    expect(fetchFn).toHaveBeenCalledTimes(3);
  });
});
