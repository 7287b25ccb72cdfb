import { describe, expect, it } from 'vitest';
import { decodeEditSet, encodeEditSet, ShareLinkError, type SharedEditSet } from './codec';

const set: SharedEditSet = {
  version: 1,
  method: 'memoir',
  model: '/models/editscope-facts',
  edits: [
    { prompt: 'The capital of France is', target: ' Rome' },
    { prompt: 'Die Hauptstadt von Österreich ist', target: ' Zürich ✓' },
  ],
};

async function fragmentOf(json: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  const piped = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const packed = new Uint8Array(await new Response(piped).arrayBuffer());
  return `#edits=${Buffer.from(packed).toString('base64url')}`;
}

describe('share links', () => {
  it('round-trips an edit set through a URL fragment', async () => {
    const fragment = await encodeEditSet(set);
    expect(fragment).toMatch(/^edits=[A-Za-z0-9_-]+$/);
    expect(await decodeEditSet(`#${fragment}`)).toEqual(set);
    expect(await decodeEditSet('#other=1')).toBeNull();
  });

  it('rejects damaged or invalid links with a readable reason', async () => {
    await expect(decodeEditSet('#edits=not%20base64')).rejects.toThrow(/not base64url/);
    const good = await encodeEditSet(set);
    await expect(decodeEditSet(good.slice(0, good.length - 6))).rejects.toThrow(/cut short or damaged/);
    await expect(decodeEditSet(await fragmentOf([1, 2]))).rejects.toThrow(/does not hold an edit set/);
    const bad = { ...set, version: 2, edits: [{ prompt: '', target: ' Rome' }] };
    await expect(decodeEditSet(await fragmentOf(bad))).rejects.toThrow(
      /version must be 1, got 2; edits\[0\]\.prompt must be text/,
    );
    await expect(decodeEditSet(await fragmentOf({ ...set, edits: [] }))).rejects.toBeInstanceOf(
      ShareLinkError,
    );
  });
});
