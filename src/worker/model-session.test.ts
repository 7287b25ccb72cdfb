// ModelSession.load against a stubbed hub (global fetch and Cache API, CPU backend): a gated or missing
// repo fails with the hub's reason before the tokenizer is touched; the access token reaches the hub
// and nothing else; a full cache does not fail the load but is reported in the summary.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tinyConfigJson, tinySafetensors } from '../../tests/helpers/tiny-model';
import { parseModelRef } from '../models/hub';
import { BackendSession } from './backends';
import { ModelSession } from './model-session';
import type { CallContext } from './serve';

const loadTokenizer = vi.hoisted(() => vi.fn(async () => ({}) as never));
vi.mock('../models/tokenizer', () => ({
  loadTokenizer,
  hasChatTemplate: () => false,
  StreamingDecoder: class {},
}));

const TOKEN = 'hf_SessionSecret42';
const ctx: CallContext = { signal: new AbortController().signal, progress: () => {}, token: () => {} };
const params = (ref: string, accessToken?: string) => ({
  source: parseModelRef(ref),
  precision: 'f32' as const,
  backend: 'cpu' as const,
  accessToken,
});

/** Stubs fetch with `answer(file)` and records each request's URL and Authorization header. */
function stubHub(answer: (file: string) => Response) {
  const requests: { url: string; auth: string | null }[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    requests.push({ url, auth: new Headers(init?.headers).get('authorization') });
    return answer(url.split('/').pop()!);
  });
  return requests;
}

describe('ModelSession.load from the hub', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    loadTokenizer.mockClear();
  });

  it('a gated repo or a missing config.json fails with the reason before the tokenizer loads', async () => {
    const session = new ModelSession(new BackendSession());
    stubHub(() => new Response('', { status: 401 }));
    await expect(session.load(params('meta-llama/Llama-3.2-1B'), ctx)).rejects.toThrow(
      /meta-llama\/Llama-3.2-1B is gated or private.*\nHINT: accept the model's licence at https:\/\/huggingface.co\/meta-llama\/Llama-3.2-1B/,
    );
    const refused = session.load(params('meta-llama/Llama-3.2-1B', TOKEN), ctx);
    await expect(refused).rejects.toThrow(/HINT: the access token was not accepted/);
    await refused.catch((e: Error) => expect(e.message).not.toContain(TOKEN));
    stubHub(() => new Response('', { status: 404 }));
    await expect(session.load(params('someone/typo@v9', TOKEN), ctx)).rejects.toThrow(
      /config.json not found \(404\)\nHINT: check the repo id "someone\/typo" and the revision "v9"/,
    );
    expect(loadTokenizer).not.toHaveBeenCalled();
  });

  it('loads with a full cache, says which files were not cached, and sends the token to the hub only', async () => {
    const config = tinyConfigJson();
    const files: Record<string, BodyInit> = {
      'config.json': JSON.stringify(config),
      'model.safetensors': tinySafetensors(config),
    };
    const requests = stubHub((file) =>
      file in files ? new Response(files[file]) : new Response('', { status: 404 }),
    );
    const full = { put: async () => Promise.reject(new DOMException('full', 'QuotaExceededError')) };
    vi.stubGlobal('caches', { open: async () => ({ ...full, match: async () => undefined }) });
    const summary = await new ModelSession(new BackendSession()).load(params('tiny/model', TOKEN), ctx);
    expect(summary.notCached).toEqual([
      { file: 'config.json', reason: "the browser's storage is full" },
      { file: 'model.safetensors', reason: "the browser's storage is full" },
    ]);
    expect(loadTokenizer).toHaveBeenCalledWith(parseModelRef('tiny/model'), TOKEN);
    expect(
      requests.every((r) => r.url.startsWith('https://huggingface.co/') && r.auth === `Bearer ${TOKEN}`),
    ).toBe(true);
    expect(JSON.stringify(summary)).not.toContain(TOKEN);
  });

  it('says which files came from the network, then from the cache on the next load', async () => {
    const config = tinyConfigJson();
    const weights = tinySafetensors(config);
    const files: Record<string, BodyInit> = {
      'config.json': JSON.stringify(config),
      'model.safetensors': weights,
    };
    stubHub((file) => (file in files ? new Response(files[file]) : new Response('', { status: 404 })));
    const kept = new Map<string, ArrayBuffer>();
    const cache = {
      put: async (url: string, res: Response) => void kept.set(url, await res.arrayBuffer()),
      match: async (url: string) => {
        const bytes = kept.get(url);
        return bytes && new Response(bytes, { headers: { 'content-length': String(bytes.byteLength) } });
      },
      delete: async (url: string) => kept.delete(url),
    };
    vi.stubGlobal('caches', { open: async () => cache });
    const session = new ModelSession(new BackendSession());
    const read = (from: string) => [
      { file: 'config.json', bytes: JSON.stringify(config).length, from },
      { file: 'model.safetensors', bytes: weights.byteLength, from },
    ];
    expect((await session.load(params('tiny/model'), ctx)).files).toEqual(read('network'));
    expect((await session.load(params('tiny/model'), ctx)).files).toEqual(read('cache'));
  });
});
