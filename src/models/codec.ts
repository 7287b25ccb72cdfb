// Text ↔ token ids as the editors and the eval need them, over a transformers.js tokenizer. Both
// editors (MEMOIR's engine adapter, SERAC's decoders) read text through this one interface, so tests
// can pass a toy codec. Not the tokenizer loading (tokenizer.ts).

/** Text ↔ token ids. `special`: add the tokenizer's special tokens (BOS) when encoding. */
export interface TextCodec {
  encode(text: string, special: boolean): Int32Array;
  decode(ids: Int32Array): string;
}

/** A TextCodec over a transformers.js tokenizer (typed structurally, so this file does not import it). */
export function codecFromTokenizer(tok: {
  encode(text: string, opts: { add_special_tokens: boolean }): number[];
  decode(ids: number[], opts: { skip_special_tokens: boolean }): string;
}): TextCodec {
  return {
    encode: (text, special) => Int32Array.from(tok.encode(text, { add_special_tokens: special })),
    // transformers.js refuses an empty list; a model may end its answer at once (its first token EOS).
    decode: (ids) => (ids.length === 0 ? '' : tok.decode(Array.from(ids), { skip_special_tokens: true })),
  };
}
