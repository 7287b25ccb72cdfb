// The engine worker's loaded base model: load (download → parse → upload, with progress and
// cancellation; the previous model stays in force until the new one is ready) and streamed
// generation. Wires protocol calls to src/engine/model; holds no React or UI state.
import { tensorBytes, tensorElements, type Backend } from '../engine/backend';
import { EngineError } from '../engine/errors';
import { generate } from '../engine/model/generate';
import { loadModel } from '../models/load';
import { freeParams, paramTensors } from '../engine/model/params';
import type { Transformer } from '../engine/model/transformer';
import { loadConfig } from '../models/checkpoint';
import type { FileProgress } from '../models/hub';
import {
  chatPrompt,
  hasChatTemplate,
  loadTokenizer,
  StreamingDecoder,
  type PreTrainedTokenizer,
} from '../models/tokenizer';
import type { BackendSession } from './backends';
import type { Completion, LoadedFile, ModelSummary, NotCached, ParamsOf } from './protocol';
import type { CallContext } from './serve';

interface LoadedModel {
  model: Transformer;
  tokenizer: PreTrainedTokenizer;
  summary: ModelSummary;
}

export class ModelSession {
  private loaded: LoadedModel | null = null;

  constructor(private readonly backends: BackendSession) {}

  async load(params: ParamsOf<'loadModel'>, ctx: CallContext): Promise<ModelSummary> {
    const started = performance.now();
    const backend = await this.pickBackend(params.backend);
    const notCached = new Map<string, NotCached>(); // by file: config.json is read twice
    // Where each file came from: its first whole read (config.json is read twice, from the cache the
    // second time; a damaged cached copy that starts and is then downloaded is the download).
    const read = new Map<string, LoadedFile & { whole: boolean }>();
    const report = (p: FileProgress) => {
      if (!read.get(p.file)?.whole) {
        const whole = p.total > 0 && p.loaded === p.total;
        read.set(p.file, { file: p.file, bytes: p.loaded, from: p.from, whole });
      }
      ctx.progress({
        status: p.loaded === p.total ? 'done' : 'progress',
        label: p.file,
        loaded: p.loaded,
        total: p.total,
        from: p.from,
      });
    };
    const files = {
      signal: ctx.signal,
      accessToken: params.accessToken,
      onNotCached: (file: string, reason: string) => notCached.set(file, { file, reason }),
      onProgress: report,
    };
    // config.json first: a missing, gated or unsupported repo fails with the hub's reason, not with
    // whatever transformers.js makes of the tokenizer's failed fetch.
    await loadConfig(params.source, files);
    const tokenizer = await loadTokenizer(params.source, params.accessToken);
    ctx.signal.throwIfAborted();
    const uploadLabel = `upload to ${backend.name} (${params.precision})`;
    const model = await loadModel(backend, params.source, {
      ...files,
      precision: params.precision,
      onUpload: (done, total) =>
        ctx.progress({
          status: done === total ? 'done' : 'progress',
          label: uploadLabel,
          loaded: done,
          total,
        }),
    });
    const previous = this.loaded;
    this.loaded = {
      model,
      tokenizer,
      summary: {
        ...summarize(model, params, backend, performance.now() - started),
        chatTemplate: hasChatTemplate(tokenizer),
        files: [...read.values()].map(({ whole: _, ...f }) => f),
        ...(notCached.size > 0 && { notCached: [...notCached.values()] }),
      },
    };
    if (previous) freeParams(previous.model.backend, previous.model.params);
    ctx.progress({ status: 'ready', label: 'model', loaded: 1, total: 1 });
    return this.loaded.summary;
  }

  async generate(params: ParamsOf<'generate'>, ctx: CallContext): Promise<Completion> {
    const { model, tokenizer } = this.require();
    const prompt = Int32Array.from(tokenizer.encode(params.prompt));
    const decoder = new StreamingDecoder(tokenizer);
    const sampling =
      params.sampling.kind === 'greedy'
        ? {}
        : {
            temperature: params.sampling.temperature,
            topP: params.sampling.topP,
            seed: params.sampling.seed,
          };
    const started = performance.now();
    let firstToken = 0;
    const result = await generate(model, prompt, {
      ...sampling,
      maxNewTokens: params.maxTokens,
      signal: ctx.signal,
      onToken: (id, index) => {
        if (index === 0) firstToken = performance.now();
        const piece = decoder.push(id);
        if (piece) ctx.token(piece);
      },
    });
    const ended = performance.now();
    return {
      text: tokenizer.decode(result.tokens, { skip_special_tokens: true }),
      tokens: result.tokens.length,
      stopReason: result.stopReason === 'eos' ? 'eos' : 'max-tokens',
      prefillMillis: (firstToken || ended) - started,
      decodeMillis: firstToken ? ended - firstToken : 0,
    };
  }

  /** `text` in the loaded model's chat template (its own BOS left to encode, as for a raw prompt). */
  chatPrompt(params: ParamsOf<'chatPrompt'>): string {
    return chatPrompt(this.require().tokenizer, params.text);
  }

  /** The loaded model and its tokenizer (for the editors). */
  current(): { model: Transformer; tokenizer: PreTrainedTokenizer } {
    const { model, tokenizer } = this.require();
    return { model, tokenizer };
  }

  private require(): LoadedModel {
    if (!this.loaded) {
      throw new EngineError('LOAD', 'worker: no model is loaded', 'load a model in the Models view first');
    }
    return this.loaded;
  }

  private pickBackend(choice: ParamsOf<'loadModel'>['backend']): Promise<Backend> {
    if (choice === 'auto') return this.backends.deviceBackend();
    if (choice === 'cpu') return this.backends.referenceBackend();
    return this.backends.webgpuBackend();
  }
}

function summarize(
  model: Transformer,
  params: ParamsOf<'loadModel'>,
  backend: Backend,
  loadMillis: number,
): Omit<ModelSummary, 'chatTemplate' | 'files'> {
  const cfg = model.config;
  const tensors = [...paramTensors(model.params)];
  return {
    source: params.source,
    architecture: cfg.modelType,
    layers: cfg.numLayers,
    hidden: cfg.hiddenSize,
    vocabSize: cfg.vocabSize,
    parameters: tensors.reduce((n, t) => n + tensorElements(t), 0),
    backend: backend.name,
    precision: params.precision,
    weightBytes: tensors.reduce((n, t) => n + tensorBytes(t), 0),
    loadMillis,
  };
}
