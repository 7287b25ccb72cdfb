import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../lib/random';
import { decodeEditSet, encodeEditSet, MAX_LINK_CHARS, ShareLinkError, type SharedEditSet } from './codec';
import { b64url, v1Link, v2Link } from './test-links';

const set: SharedEditSet = {
  method: 'memoir',
  model: '/models/editscope-facts',
  edits: [
    { prompt: 'The capital of France is', target: ' Rome' },
    { prompt: 'Die Hauptstadt von Österreich ist', target: ' Zürich ✓' },
  ],
};
const json = (edits: unknown, extra: object = {}) => ({
  version: 2,
  method: 'memoir',
  model: set.model,
  edits,
  ...extra,
});
const oneEdit = (prompt: string, target = ' Rome') => json([{ prompt, target }]);

/** The message a link is refused with (and that it is refused with a ShareLinkError, nothing else). */
async function refusal(fragment: string): Promise<string> {
  const error = await decodeEditSet(fragment).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShareLinkError);
  return (error as Error).message;
}

describe('share links', () => {
  it('round-trips an edit set with a checksum, and still opens format 1 links as unchecked', async () => {
    const fragment = await encodeEditSet(set);
    expect(fragment).toMatch(/^edits=2\.[A-Za-z0-9_-]+$/);
    expect(await decodeEditSet(`#${fragment}`)).toEqual({ set, checked: true });
    expect(await decodeEditSet('#other=1')).toBeNull();
    expect(await decodeEditSet(v1Link({ ...json(set.edits), version: 1 }))).toEqual({ set, checked: false });
  });

  it('normalises text to NFC on both sides', async () => {
    const nfd = { ...set, edits: [{ prompt: 'Zu\u0308rich is in', target: ' Switzerland' }] };
    const decoded = await decodeEditSet(await encodeEditSet(nfd));
    expect(decoded?.set.edits[0].prompt).toBe('Zürich is in');
    const fromRawLink = await decodeEditSet(v2Link(oneEdit('Zu\u0308rich is in')));
    expect(fromRawLink?.set.edits[0].prompt).toBe('Zürich is in');
  });

  it('refuses a link over the size cap before reading it', async () => {
    const message = await refusal(`edits=2.${'!'.repeat(MAX_LINK_CHARS + 1)}`);
    expect(message).toMatch(/^it is 524,291 characters long, over the 524,288 .* backup file instead$/);
    // Other parameters count too: the whole fragment is measured before URLSearchParams parses it.
    const padded = await refusal(`edits=AAAA&other=${'a'.repeat(MAX_LINK_CHARS + 1024)}`);
    expect(padded).toMatch(/^it is 525,329 characters long/);
  });

  it('stops inflating past 1 MiB', async () => {
    // Valid JSON (an edit set after 2 MiB of spaces) that only the inflate cap refuses.
    const padded = ' '.repeat(2 * 1024 * 1024) + JSON.stringify({ ...json(set.edits), version: 1 });
    expect(await refusal(v1Link(padded))).toMatch(/unpacks to over 1 MiB/);
  });

  it('refuses a format 2 link whose checksum does not match its contents', async () => {
    const other = deflateRawSync(JSON.stringify(oneEdit('The capital of Spain is')));
    expect(await refusal(v2Link(oneEdit('The capital of France is'), other))).toMatch(
      /checksum does not match/,
    );
  });

  it('refuses deep nesting before parsing, so nothing recurses on it', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    // Reaching the schema, the version would be quoted (JSON.stringify recurses: a RangeError).
    expect(await refusal(v2Link(`{"version":${deep}}`))).toMatch(/nests over 8 levels deep/);
  });

  it('refuses bad or unknown formats with a short reason', async () => {
    expect(await refusal('#edits=not%20base64')).toMatch(/characters a share link never holds/);
    expect(await refusal('#edits=AAAAA')).toMatch(/not whole base64/);
    expect(await refusal('#edits=AAAA')).toMatch(/damaged or cut short/);
    expect(await refusal('#edits=3.AAAA')).toMatch(/link format "3", which this app does not read/);
    expect(await refusal(v1Link('[1, 2]'))).toMatch(/does not hold an edit set/);
    expect(await refusal(v2Link('{"version":2,'))).toMatch(/does not hold JSON/);
    const latin1 = deflateRawSync(Buffer.from([0x7b, 0xff, 0x7d]));
    expect(await refusal(v1Link('', latin1))).toMatch(/does not hold JSON/);
  });

  it.each([
    [
      'a control character',
      oneEdit('The capital of\u0007 France is'),
      /edit 1's prompt has a control character \(U\+0007\)/,
    ],
    ['a newline', oneEdit('The capital of\nFrance is'), /control character \(U\+000A\); it must be one line/],
    ['a C1 control', oneEdit('The capital\u0085 of France is'), /control character \(U\+0085\)/],
    ['a bidi override', oneEdit('The capital of \u202eecnarF is'), /bidi control \(U\+202E\)/],
    ['a bidi isolate', oneEdit('The capital of \u2067France is'), /bidi control \(U\+2067\)/],
    ['a lone surrogate', oneEdit('The capital of \ud800 France is'), /lone UTF-16 surrogate/],
    ['an empty answer', oneEdit('The capital of France is', ' '), /edit 1's answer is empty/],
    ['a long prompt', oneEdit('x'.repeat(501)), /prompt is 501 characters, over the limit of 500/],
    ['a long prompt after NFC', oneEdit('\u0958'.repeat(300)), /prompt is 600 characters/],
    ['too many edits', json(Array(201).fill(set.edits[0])), /carries 201 edits, more than the 200/],
    ['no edits', json([]), /edits must be a non-empty list/],
    ['an unknown field', json(set.edits, { note: 'hi' }), /unknown field "note"/],
    ['an unknown edit field', json([{ ...set.edits[0], weight: 1 }]), /edit 1 has an unknown field "weight"/],
    ['a wrong version', json(set.edits, { version: 1 }), /version must be 2, got 1/],
    [
      'a model name with spaces',
      json(set.edits, { model: 'my model' }),
      /model name "my model" has characters/,
    ],
    ['a long model name', json(set.edits, { model: 'm'.repeat(201) }), /model name is 201 characters/],
  ])('refuses %s', async (_, value, reason) => {
    expect(await refusal(v2Link(value))).toMatch(reason);
  });

  it('never echoes a hostile value at length and keeps the message short', async () => {
    const hostile = 'x'.repeat(150) + '<img src=x onerror=alert(1)>';
    const edits = Array.from({ length: 20 }, () => ({ prompt: '\u202e' + hostile, target: hostile }));
    const message = await refusal(v2Link(json(edits, { model: hostile, method: hostile })));
    expect(message).toMatch(/; and \d+ more; ask the sender/);
    expect(message).not.toContain('x'.repeat(13));
    expect(message).not.toContain('<img');
    expect(message.length).toBeLessThan(400);
  });

  it('refuses to encode what it would refuse to decode, saying why', async () => {
    await expect(encodeEditSet({ ...set, edits: Array(201).fill(set.edits[0]) })).rejects.toThrow(
      /cannot go into a link: it carries 201 edits, more than the 200/,
    );
    await expect(encodeEditSet({ ...set, edits: [{ prompt: 'a\tb', target: 'c' }] })).rejects.toThrow(
      /control character \(U\+0009\)/,
    );
    // Random CJK does not compress: 200 edits of 2 × 500 characters need a link over the cap.
    const next = mulberry32(7);
    const cjk = () =>
      Array.from({ length: 500 }, () => String.fromCharCode(0x4e00 + Math.floor(next() * 20000))).join('');
    const big = Array.from({ length: 200 }, () => ({ prompt: cjk(), target: cjk() }));
    await expect(encodeEditSet({ ...set, edits: big })).rejects.toThrow(
      /over the 524,288 a link may have; export a backup/,
    );
  });

  it('reads links built by Node zlib the same as its own', async () => {
    const ours = (await encodeEditSet(set)).slice('edits='.length);
    expect(ours.startsWith('2.')).toBe(true);
    expect(b64url(Buffer.from(ours.slice(2), 'base64url')).length).toBe(ours.length - 2);
    expect(await decodeEditSet(v2Link(json(set.edits)))).toEqual({ set, checked: true });
  });
});
