// Bounds on a model card before it is parsed: a card comes from whoever published the model, and
// Markdown nesting (block quotes, lists) costs the parser time quadratic in its depth and the renderer a
// stack frame per level (measured: 5,000 nested block quotes in 4.9 KB overflow the stack; 5,000 nested
// lists take remark-gfm seconds, then overflow). Not a Markdown parser: a cheap per-line upper bound.

/** Far above any real card (a long hub card is tens of kB); parse time stays near a second at most. */
export const MAX_CARD_CHARS = 200_000;
/** Real cards nest a few levels; the estimate below may count an indented line up to twice. */
export const MAX_CARD_DEPTH = 32;

/** One container marker at a line's start: a block quote `>` (may touch the next one), or a bullet or
 *  ordered list marker followed by a space or the line's end. */
const MARKER = />|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/y;

/** An upper bound on the containers a line sits in: the markers it opens with, plus one per two columns
 *  of indentation before them (how lists nest across lines). */
export function lineDepth(line: string): number {
  let i = 0;
  let indent = 0;
  while (line[i] === ' ' || line[i] === '\t') indent += line[i++] === '\t' ? 4 : 1;
  let markers = 0;
  for (;;) {
    MARKER.lastIndex = i;
    if (!MARKER.test(line)) break;
    markers++;
    i = MARKER.lastIndex;
    while (line[i] === ' ' || line[i] === '\t') i++;
  }
  return markers + Math.floor(indent / 2);
}

/** Why a card is not rendered, in words for the person looking at it; null when it is within bounds. */
export function cardRefusal(markdown: string): string | null {
  if (markdown.length > MAX_CARD_CHARS) {
    return `This model card is not shown: it is ${markdown.length.toLocaleString('en')} characters long, above the ${MAX_CARD_CHARS.toLocaleString('en')} this app renders.`;
  }
  let deepest = 0;
  for (const line of markdown.split('\n')) deepest = Math.max(deepest, lineDepth(line));
  if (deepest > MAX_CARD_DEPTH) {
    return `This model card is not shown: it nests block quotes or lists ${deepest.toLocaleString('en')} levels deep, above the ${MAX_CARD_DEPTH} this app renders.`;
  }
  return null;
}
