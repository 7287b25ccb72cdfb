// What text a share link may carry, and how a message quotes a stranger's value: edit prompts and
// answers are single-line Unicode, well formed, without characters that hide or reorder what the
// person sees; model names are short URL-like ASCII. Not the edit-set schema (validate.ts).

/** C0 and C1 control characters: prompts are single-line, so newlines and tabs are refused too. */
const CONTROL = /\p{Cc}/u;
/** Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069): they reorder text on screen.
 *  The marks LRM/RLM (U+200E/F) stay allowed in prompts (mixed-direction text needs them and they
 *  reorder nothing); model names are ASCII, so nothing invisible gets into one. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
/** In the u flag a well-formed pair is one code point, so this matches lone surrogates only. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Hub ids ("owner/name"), app paths ("/models/x") and model-folder URLs, nothing that can hide. */
const MODEL_NAME = /^[A-Za-z0-9._~:/@%+-]+$/;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** A value from a link, cut to a few characters and escaped, so a message never echoes it at length. */
export function quote(value: unknown, chars = 12): string {
  const isText = typeof value === 'string';
  const text = isText ? value : String(JSON.stringify(value));
  const cut = [...text.slice(0, chars * 2)].slice(0, chars).join('');
  const escaped = (isText ? JSON.stringify(cut).slice(1, -1) : cut).replace(/[^\x20-\x7e]/gu, codePoint);
  const more = cut.length < text.length ? '…' : '';
  return isText ? `"${escaped}${more}"` : escaped + more;
}

/**
 * `text` in NFC, or why it cannot be a prompt or an answer (a short phrase naming the offending
 * character by code point, never the text itself).
 */
export function checkLine(text: string, maxChars: number): { ok: string } | { problem: string } {
  if (LONE_SURROGATE.test(text)) return { problem: 'has a broken character (a lone UTF-16 surrogate)' };
  const control = CONTROL.exec(text);
  if (control) return { problem: `has a control character (${codePoint(control[0])}); it must be one line` };
  const bidi = BIDI.exec(text);
  if (bidi) return { problem: `has a bidi control (${codePoint(bidi[0])}) that can disguise text` };
  const ok = text.normalize('NFC');
  if (!ok.trim()) return { problem: 'is empty' };
  if (ok.length > maxChars) return { problem: `is ${ok.length} characters, over the limit of ${maxChars}` };
  return { ok };
}

/** Why `name` cannot name a model, or null. */
export function modelNameProblem(name: string, maxChars: number): string | null {
  if (!name) return 'is empty';
  if (name.length > maxChars) return `is ${name.length} characters, over the limit of ${maxChars}`;
  if (!MODEL_NAME.test(name)) return `${quote(name)} has characters a model id or URL does not use`;
  return null;
}
