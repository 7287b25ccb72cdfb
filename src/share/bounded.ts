// Bounded decoding steps for share links that strangers send: an inflate that stops as soon as its
// output passes a cap (a deflate bomb costs at most the cap plus one input chunk's worth), and a linear
// scan of JSON nesting depth to run before JSON.parse. Knows nothing of edit sets or messages.

/** deflate expands at most ~1032:1, so 1 KiB of input yields ≤ ~1 MiB of output per step. */
const INPUT_CHUNK = 1024;

/**
 * Inflates deflate-raw `input`, reading the output chunk by chunk; null once it passes `maxBytes`
 * (the rest is never inflated). Rejects (with the stream's own error) on corrupt or cut-short data.
 */
export async function inflateBounded(
  input: Uint8Array<ArrayBuffer>,
  maxBytes: number,
): Promise<Uint8Array | null> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Small writes, each waiting for the reader (backpressure): the decompressor never runs ahead.
  const writing = (async () => {
    for (let at = 0; at < input.length; at += INPUT_CHUNK) {
      await writer.write(input.subarray(at, at + INPUT_CHUNK));
    }
    await writer.close();
  })();
  // When the reader stops early or the data is corrupt the writes reject too; the reader reports it.
  writing.catch(() => undefined);

  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * The deepest nesting of arrays and objects in JSON `text` (brackets inside strings do not count),
 * found in one pass without recursion, so JSON.parse only ever sees shallow input. Returns as soon
 * as the depth passes `limit`. Invalid JSON is JSON.parse's to reject.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      deepest = Math.max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}
