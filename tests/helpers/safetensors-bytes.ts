// Hand-built safetensors bytes for parser tests: any header (an object, or raw JSON text) and any
// data section, with the header length written as given or measured. Unlike encodeSafetensors it
// writes whatever it is told, so tests can build the malformed files the parser must refuse.

/** 8-byte little-endian header length, the header text, then `data`. */
export function safetensorsBytes(
  header: unknown,
  data: Uint8Array | number,
  declaredLength?: bigint,
): ArrayBuffer {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  return withHeaderBytes(new TextEncoder().encode(text), data, declaredLength);
}

/** The same with the header given as raw bytes (e.g. invalid UTF-8). */
export function withHeaderBytes(
  header: Uint8Array,
  data: Uint8Array | number,
  declaredLength?: bigint,
): ArrayBuffer {
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + header.length + body.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(header.length), true);
  out.set(header, 8);
  out.set(body, 8 + header.length);
  return out.buffer;
}
