// Loads a model's tokenizer through transformers.js from the same place as its weights (the bundled
// /models/<name>/ or a hub repo, at its revision, with the session's access token for the hub host
// only), and owns transformers.js' global file settings while doing so.
// Not the weights (checkpoint.ts) and not onnxruntime settings.
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { EngineError } from '../engine/errors';
import { authorizedFetch, type ModelSource } from './hub';

export type { PreTrainedTokenizer };

/** transformers.js' own fetch (the global one by default), before any load wraps it with a token. */
const plainFetch = env.fetch;

/** transformers.js' default hub host (its env.remoteHost before anything sets it). */
const HUB_HOST = env.remoteHost;

/** The end of the last queued load. */
let turn: Promise<unknown> = Promise.resolve();

/** Runs `load` with transformers.js' global file settings pointed at `source`, then restores its fetch.
 *  transformers.js resolves `${localModelPath}${repo}/<file>` for local sources and
 *  `${remoteHost}${repo}/resolve/<revision>/<file>` for the hub. In a browser it sends no Authorization
 *  header of its own, so a gated repo's token goes in through `env.fetch`, for this load only; so does
 *  `signal`, which aborts the load's downloads. Loads take turns (a queue), since these settings are
 *  global and a tokenizer may load while a SERAC companion does. */
export function withTransformersSource<T>(
  source: ModelSource,
  opts: { accessToken?: string; signal?: AbortSignal },
  load: () => Promise<T>,
): Promise<T> {
  const run = turn.then(() => loadFrom(source, opts, load));
  turn = run.catch(() => undefined);
  return run;
}

async function loadFrom<T>(
  source: ModelSource,
  opts: { accessToken?: string; signal?: AbortSignal },
  load: () => Promise<T>,
): Promise<T> {
  if (source.kind === 'local') {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = source.base.endsWith('/') ? source.base : `${source.base}/`;
  } else {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    env.remoteHost = source.host ?? HUB_HOST;
  }
  const { signal } = opts;
  const base = plainFetch as typeof fetch;
  const signalled: typeof fetch = signal ? (input, init) => base(input, { ...init, signal }) : base;
  env.fetch = authorizedFetch(signalled, source, opts.accessToken);
  try {
    return await load();
  } finally {
    env.fetch = plainFetch;
  }
}

export async function loadTokenizer(source: ModelSource, accessToken?: string): Promise<PreTrainedTokenizer> {
  try {
    return await withTransformersSource(source, { accessToken }, () =>
      AutoTokenizer.from_pretrained(source.repo, source.kind === 'hub' ? { revision: source.revision } : {}),
    );
  } catch (error) {
    throw new EngineError(
      'LOAD',
      `tokenizer: could not load tokenizer.json for ${source.repo}: ${(error as Error).message}`,
      'check that the model folder holds tokenizer.json and tokenizer_config.json',
    );
  }
}

/** The tokenizer config has a chat_template (a string, or named templates). */
export function hasChatTemplate(tokenizer: PreTrainedTokenizer): boolean {
  return !!tokenizer.chat_template;
}

/** `text` as one user turn with the assistant's turn opened, as text that encode() turns into the
 *  template's tokens: templates write the BOS (Llama 3's `{{- bos_token }}`) and encode() adds one
 *  for tokenizers that add it, so the template's own leading BOS is left out to keep one. */
export function chatPrompt(tokenizer: PreTrainedTokenizer, text: string): string {
  if (!hasChatTemplate(tokenizer)) {
    throw new EngineError(
      'LOAD',
      'tokenizer: this model has no chat_template in its tokenizer_config.json',
      'use the raw prompt',
    );
  }
  const templated = tokenizer.apply_chat_template([{ role: 'user', content: text }], {
    add_generation_prompt: true,
    tokenize: false,
  }) as string;
  const bos = tokenizer.bos_token;
  const addsBos = !!bos && tokenizer.encode('')[0] === tokenizer.bos_token_id;
  return addsBos && templated.startsWith(bos) ? templated.slice(bos.length) : templated;
}

/** Decodes a growing token list and returns only the text that is new since the last call, so
 *  multi-byte characters split across tokens are never emitted half-way. */
export class StreamingDecoder {
  private ids: number[] = [];
  private emitted = '';

  constructor(private readonly tokenizer: PreTrainedTokenizer) {}

  push(id: number): string {
    this.ids.push(id);
    const text = this.tokenizer.decode(this.ids, { skip_special_tokens: true });
    if (text.endsWith('\uFFFD')) return ''; // an unfinished UTF-8 sequence: wait for its next byte
    const piece = text.slice(this.emitted.length);
    this.emitted = text;
    return piece;
  }
}
