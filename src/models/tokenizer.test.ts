// loadTokenizer's access token: transformers.js fetches a hub tokenizer through `env.fetch`, which
// carries the token to the hub host for that load only and is plain again afterwards.
import { describe, expect, it, vi } from 'vitest';

describe('loadTokenizer', () => {
  it('sends the access token to the hub host during the load only', async () => {
    const { env } = await import('@huggingface/transformers');
    const seen: { url: string; auth: string | null }[] = [];
    const hubFetch = vi.fn(async (url: string | URL, init?: RequestInit) => {
      seen.push({ url: String(url), auth: new Headers(init?.headers).get('authorization') });
      // transformers.js 4.3 first asks whether tokenizer_config.json exists on main (ignoring the
      // revision), then fetches the files at the revision: let the probe through, refuse the files.
      return String(url).includes('/resolve/main/') ? new Response('{}') : new Response('', { status: 401 });
    });
    env.useFSCache = false;
    env.fetch = hubFetch; // before tokenizer.ts captures transformers.js' plain fetch
    vi.resetModules();
    const { loadTokenizer } = await import('./tokenizer');
    const { parseModelRef } = await import('./hub');
    await expect(loadTokenizer(parseModelRef('gated/model@v1'), 'hf_tok')).rejects.toThrow(
      /tokenizer: could not load tokenizer.json for gated\/model/,
    );
    expect(seen.map((r) => r.url)).toContain('https://huggingface.co/gated/model/resolve/v1/tokenizer.json');
    for (const { url, auth } of seen) {
      expect(url).toMatch(/^https:\/\/huggingface.co\/gated\/model\/resolve\//);
      expect(auth).toBe('Bearer hf_tok');
    }
    expect(env.fetch).toBe(hubFetch); // the token does not outlive the load
  });

  it("loads take turns on transformers.js' globals: each sees its own source while it runs", async () => {
    const { env } = await import('@huggingface/transformers');
    const { withTransformersSource } = await import('./tokenizer');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    const first = withTransformersSource({ kind: 'local', base: '/a', repo: 'x' }, {}, async () => {
      await held; // the second load is asked for meanwhile
      seen.push(env.localModelPath);
    });
    const second = withTransformersSource(
      { kind: 'hub', repo: 'o/m', host: 'http://hub.test' },
      {},
      async () => {
        seen.push(String(env.remoteHost));
      },
    );
    release();
    await Promise.all([first, second]);
    expect(seen).toEqual(['/a/', 'http://hub.test']);
    await withTransformersSource({ kind: 'hub', repo: 'o/m' }, {}, async () => {
      expect(env.remoteHost).toBe('https://huggingface.co/'); // a hub source without host: the default again
    });
  });
});
