// SERAC's counterfactual model and the one text it reads per routed query, in three forms: a model
// trained for SERAC ("<edit><sep><query>", the separator from its editscope.json card), any decoder given
// the edit in context with a fixed template, or an instruct model through its chat template. Built only
// by the factories below, which check the form against the model's tokenizer, so an editor cannot hold a
// separator its tokenizer splits or a chat form without a template. Not the routing (editor.ts).
import { EngineError } from '../../engine/errors';
import { chatPrompt, hasChatTemplate, type PreTrainedTokenizer } from '../../models/tokenizer';
import type { SeracLm } from './editor';

/** How the counterfactual model reads an edit and a query. `userTurn` wraps text as one user turn of
 *  the model's chat template with the assistant's turn opened. */
export type CounterfactualFormat =
  | { readonly kind: 'trained'; readonly separator: string }
  | { readonly kind: 'in-context' }
  | { readonly kind: 'chat'; readonly userTurn: (text: string) => string };

/** The model that answers a query in an edit's scope and the form it reads. */
export interface Counterfactual {
  readonly lm: SeracLm;
  readonly format: CounterfactualFormat;
}

/** A model trained to read "<edit><separator><query>"; the separator must be one token of its tokenizer
 *  (a tokenizer without it as a special token would spell it out as "<", "sep", ">" and the model would
 *  read garbage without any error). */
export function trainedCounterfactual(lm: SeracLm, separator: string): Counterfactual {
  const ids = lm.codec.encode(separator, false);
  if (ids.length !== 1) {
    throw new EngineError(
      'LOAD',
      `serac: the counterfactual tokenizer encodes "${separator}" as ${ids.length} tokens, expected 1 special token`,
      'use the counterfactual model built with this separator (its editscope.json prompt_format names it)',
    );
  }
  return { lm, format: { kind: 'trained', separator } };
}

/** Any decoder (the base model itself, typically) reading the edit in context (inContextInput). */
export function inContextCounterfactual(lm: SeracLm): Counterfactual {
  return { lm, format: { kind: 'in-context' } };
}

/** An instruct model reading the edit and the query in one user turn of its chat template. */
export function chatCounterfactual(lm: SeracLm, tokenizer: PreTrainedTokenizer): Counterfactual {
  if (!hasChatTemplate(tokenizer)) {
    throw new EngineError(
      'LOAD',
      'serac: the chat counterfactual needs a tokenizer with a chat_template',
      'use the in-context template for a model without one',
    );
  }
  return { lm, format: { kind: 'chat', userTurn: (text) => chatPrompt(tokenizer, text) } };
}

/** The separator a SERAC counterfactual's card names: the text between "{edit_answer}" and "{query}" of
 *  its prompt_format ("<s>{edit_prompt} {edit_answer}<sep>{query}" → "<sep>"); null when the card is not
 *  a counterfactual's or names none. */
export function cardSeparator(card: unknown): string | null {
  const c = card as { role?: unknown; prompt_format?: unknown } | null;
  if (c?.role !== 'serac-counterfactual' || typeof c.prompt_format !== 'string') return null;
  const [, separator] = /\{edit_answer\}(.+)\{query\}/.exec(c.prompt_format) ?? [];
  return separator ?? null;
}

/** The form a counterfactual model takes: a model trained for SERAC (its card names a separator) reads
 *  that; else an instruct model (a chat template) its chat template; else the fixed in-context template. */
export function formKind(card: unknown, hasChat: boolean): CounterfactualFormat['kind'] {
  if (cardSeparator(card) !== null) return 'trained';
  return hasChat ? 'chat' : 'in-context';
}

/** The model in the form formKind gives it. */
export function counterfactualFor(
  lm: SeracLm,
  tokenizer: PreTrainedTokenizer,
  card: unknown,
): Counterfactual {
  switch (formKind(card, hasChatTemplate(tokenizer))) {
    case 'trained':
      return trainedCounterfactual(lm, cardSeparator(card)!);
    case 'chat':
      return chatCounterfactual(lm, tokenizer);
    case 'in-context':
      return inContextCounterfactual(lm);
  }
}

/** The edit stated as a sentence: editText already joins prompt and answer; a final stop is added
 *  unless the edit ends with one. */
function statement(edit: string): string {
  return /[.!?]$/.test(edit.trimEnd()) ? edit.trimEnd() : `${edit.trimEnd()}.`;
}

/** In-context template for a plain decoder: "New fact: {edit}.\n{query}". The edit comes first as a whole
 *  sentence, labelled as new (IKE's wording, Zheng et al. 2023) so a model that knows otherwise is told
 *  which to follow; the query follows on its own line exactly as typed, so the model continues the same
 *  cloze the base model would (answers and teacher-forced targets line up with the base model's), and a
 *  query that repeats the edit's words lets the model copy the answer from the line above. */
export function inContextInput(edit: string, query: string): string {
  return `New fact: ${statement(edit)}\n${query}`;
}

/** Chat form: the fact and the sentence to complete as the user's turn, and the assistant's turn opened
 *  with the query itself, so the model continues the query (" Rome"), as the base model's raw prompt
 *  does: greedy answers and teacher-forced targets (" Rome", with its space) read the same tokens as in
 *  the other forms instead of a free-form reply ("The capital is Rome."). */
export function chatUserText(edit: string, query: string): string {
  return `New fact: ${statement(edit)}\nUsing this fact, complete the sentence: ${query}`;
}

/** The text the counterfactual model reads for `query` with `edit` (editText) in force. */
export function counterfactualInput(format: CounterfactualFormat, edit: string, query: string): string {
  switch (format.kind) {
    case 'trained':
      return `${edit}${format.separator}${query}`;
    case 'in-context':
      return inContextInput(edit, query);
    case 'chat':
      return `${format.userTurn(chatUserText(edit, query))}${query}`;
  }
}

/** The form in words, for the UI and the eval CLI's output. */
export function describeFormat(format: CounterfactualFormat): string {
  switch (format.kind) {
    case 'trained':
      return `trained for SERAC: reads "<edit>${format.separator}<query>"`;
    case 'in-context':
      return 'the edit in context: reads "New fact: <edit>.\\n<query>"';
    case 'chat':
      return "the edit in its chat template: the fact and the query as a user turn, the answer continued in the assistant's turn";
  }
}
