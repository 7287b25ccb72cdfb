// `npm run bench:device [-- --quick --budget S --models facts,smollm2,qwen,qwen3 --precisions f32,f16,q8,q4
// --out FILE]`: the engine's speed on whatever WebGPU adapter Dawn (npm `webgpu`) finds, for the device
// machine (bench/device/run.sh, README.md there). Per model × precision: load time (loadModel from disk,
// streamed), prefill tokens/s, decode tokens/s (one token per forward with the KV cache, logits read back
// each step as generate() does) and MEMOIR edit time with the app's preset (background statistics, then
// a few facts-benchmark edits: mean ms, SGD steps). Models: the bundled editscope-facts (its tokenizer)
// and random checkpoints of SmolLM2-135M's, Qwen2.5-0.5B's and Qwen3-0.6B's shapes written to a temp dir
// (a byte-level codec: random weights have no tokenizer). --quick shrinks the hub shapes and the token
// counts so SwiftShader finishes in minutes. Every slot (model × precision) gets an equal share of the
// budget left; a slot that runs out is cut at its next check, and the run always ends with one JSON object
// on stdout (and in $OUT/gpu-bench.json when OUT is set). Not a correctness test: random models' logits
// mean nothing.
import '../../tools/eval/raw-imports'; // first: the webgpu backend's WGSL `?raw` imports need its hooks
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { probeCapabilities } from '../../src/engine/capabilities';
import { tensorBytes } from '../../src/engine/backend';
import { EngineError, throwIfAborted } from '../../src/engine/errors';
import { argmax } from '../../src/engine/model/generate';
import { loadModel } from '../../src/models/load';
import { paramTensors } from '../../src/engine/model/params';
import type { Transformer } from '../../src/engine/model/transformer';
import type { WebGpuBackend } from '../../src/engine/webgpu/backend';
import { defaultMemoirConfig } from '../../src/editors/memoir/config';
import { MemoirEditor } from '../../src/editors/memoir/editor';
import { EngineEditableModel } from '../../src/editors/memoir/engine-adapter';
import { computeBackgroundStats } from '../../src/editors/memoir/tophash';
import { parseRecords } from '../../src/eval/records';
import { mulberry32 } from '../../src/lib/random';
import { codecFromTokenizer, type TextCodec } from '../../src/models/codec';
import { parseConfig } from '../../src/models/config';
import type { WeightPrecision } from '../../src/engine/quantize';
import { localTokenizer } from '../../tools/eval/load';
import { diskStream, HUB_SHAPES, type HubShape, writeCheckpoint } from '../checkpoints';

const ROOT = fileURLToPath(new URL('../../', import.meta.url)); // also from .device/bench/gpu.mjs
/** How this run was started: the packed bundle runs only through run.sh. */
const ENTRY = import.meta.url.endsWith('.mjs') ? 'bash bench/device/run.sh' : 'npm run bench:device --';
const BUNDLED = 'facts';
const BUNDLED_DIR = join(ROOT, 'public', 'models', 'editscope-facts');

/** --quick: each hub shape's family and head layout at toy width, so SwiftShader runs every kernel in minutes. */
const QUICK_SHAPE = {
  hidden_size: 64,
  intermediate_size: 256,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 16,
  vocab_size: 512,
  bos_token_id: 1,
  eos_token_id: 2,
};

/** Token counts, edits and background prompts per slot: full (a real GPU; the app's MEMOIR preset as it
 *  is) and --quick (SwiftShader, where one SGD step even of a toy model takes seconds: 1 step over the
 *  prompt and 1 prefixed copy, 4 background prompts). Budgets in seconds. */
const SIZES = {
  full: { prefill: 128, decode: 64, reps: 3, edits: 3, background: Infinity, memoir: {}, budget: 300 },
  quick: {
    prefill: 16,
    decode: 8,
    reps: 2,
    edits: 1,
    background: 4,
    memoir: { maxSteps: 1, prefixCopies: 1 },
    budget: 300,
  },
};
type Sizes = (typeof SIZES)[keyof typeof SIZES];

/** UTF-8 bytes as ids 3..258 (0-2 left to special tokens), for the random checkpoints' MEMOIR edits. */
function byteCodec(bos: number): TextCodec {
  const OFFSET = 3;
  return {
    encode: (text, special) =>
      Int32Array.from([
        ...(special ? [bos] : []),
        ...[...new TextEncoder().encode(text)].map((b) => b + OFFSET),
      ]),
    decode: (ids) =>
      new TextDecoder().decode(
        Uint8Array.from([...ids].filter((i) => i >= OFFSET && i < OFFSET + 256).map((i) => i - OFFSET)),
      ),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x: number, digits = 1) => +x.toFixed(digits);

/** Token ids in [3, V) from a fixed seed: the same prompt for every precision of a model. */
function randomIds(n: number, V: number, seed: number): Int32Array {
  const next = mulberry32(seed);
  return Int32Array.from({ length: n }, () => 3 + Math.floor(next() * (V - 3)));
}

/** Prefill of `n` tokens into a fresh cache: one untimed warm-up (pipeline compiles), then the median of `reps`. */
async function timePrefill(model: Transformer, n: number, reps: number, signal: AbortSignal) {
  const ids = randomIds(n, model.config.vocabSize, 7);
  const cache = model.newCache(n);
  const seconds: number[] = [];
  try {
    for (let r = 0; r <= reps; r++) {
      throwIfAborted(signal, 'prefill');
      cache.reset();
      const t0 = performance.now();
      await model.forward(ids, { cache });
      if (r > 0) seconds.push((performance.now() - t0) / 1000);
    }
  } finally {
    cache.free();
  }
  const s = median(seconds);
  return { tokens: n, reps, medianMs: round(s * 1000, 2), tokensPerSecond: round(n / s) };
}

/** `n` greedy decode steps after an 8-token prompt and one untimed step: ms per token and tokens/s. */
async function timeDecode(model: Transformer, n: number, signal: AbortSignal) {
  const cache = model.newCache(8 + n + 1);
  try {
    let logits = await model.forward(randomIds(8, model.config.vocabSize, 11), { cache });
    logits = await model.forward(Int32Array.of(argmax(logits)), { cache });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      throwIfAborted(signal, 'decode');
      logits = await model.forward(Int32Array.of(argmax(logits)), { cache });
    }
    const s = (performance.now() - t0) / 1000;
    return { tokens: n, msPerToken: round((s * 1000) / n, 2), tokensPerSecond: round(n / s) };
  } finally {
    cache.free();
  }
}

interface EditInputs {
  background: string[];
  records: { prompt: string; target: string }[];
  /** MemoirConfig fields that replace the preset's (--quick only). */
  overrides: Sizes['memoir'];
}

/** MEMOIR as the app runs it (src/worker/memoir-session.ts memoirConfigFor: the bundled model gets the
 *  last-zscore preset, hub models the paper's): background statistics, then `inputs.records` as edits. */
async function timeEdits(
  model: Transformer,
  codec: TextCodec,
  bundled: boolean,
  inputs: EditInputs,
  signal: AbortSignal,
) {
  const editable = new EngineEditableModel('bench', model, codec);
  try {
    const preset = defaultMemoirConfig(editable.dims, bundled ? 'last-zscore' : 'paper');
    const config = { ...preset, ...inputs.overrides };
    const t0 = performance.now();
    const stats = await computeBackgroundStats(editable, config.layer, inputs.background, signal);
    const backgroundMs = performance.now() - t0;
    const editor = new MemoirEditor(editable, config, stats, inputs.background);
    const millis: number[] = [];
    const steps: number[] = [];
    let cut = false;
    for (const [i, r] of inputs.records.entries()) {
      try {
        const out = await editor.applyEdit(
          { id: `bench-${i}`, prompt: r.prompt, target: r.target },
          { signal },
        );
        millis.push(out.millis);
        steps.push(out.steps);
      } catch (e) {
        // Out of time after at least one whole edit: keep those (a real GPU may fit fewer than asked).
        if (!signal.aborted || millis.length === 0) throw e;
        cut = true;
        break;
      }
    }
    return {
      preset: bundled ? 'last-zscore' : 'paper',
      layer: config.layer,
      k: config.k,
      maxSteps: config.maxSteps,
      prefixCopies: config.prefixCopies,
      backgroundPrompts: inputs.background.length,
      backgroundMs: round(backgroundMs),
      edits: millis.length,
      editMs: { mean: round(mean(millis)), max: round(Math.max(...millis)) },
      stepsPerEdit: round(mean(steps)),
      msPerStep: round(mean(millis) / mean(steps)),
      ...(cut ? { cut: `out of time after ${millis.length} of ${inputs.records.length} edits` } : {}),
    };
  } finally {
    editable.dispose();
  }
}

interface Slot {
  model: string;
  precision: WeightPrecision;
  loadMs?: number;
  paramBytes?: number;
  prefill?: Awaited<ReturnType<typeof timePrefill>>;
  decode?: Awaited<ReturnType<typeof timeDecode>>;
  memoir?: Awaited<ReturnType<typeof timeEdits>>;
  /** The stage the slot's share of the budget ran out in (or the error that stopped it). */
  cut?: string;
}

/** One model at one precision within `ms`; whatever finished is kept when the time runs out. */
async function measureSlot(
  backend: WebGpuBackend,
  slot: Slot,
  load: { root: string; repo: string; codec: TextCodec; bundled: boolean },
  sizes: Sizes,
  inputs: EditInputs,
  ms: number,
): Promise<Slot> {
  const signal = AbortSignal.timeout(Math.max(1, Math.floor(ms)));
  let stage = 'load';
  let model: Transformer | null = null;
  try {
    const t0 = performance.now();
    model = await loadModel(
      backend,
      { kind: 'local', base: '/bench', repo: load.repo },
      { fetch: diskStream(load.root), precision: slot.precision, signal },
    );
    await backend.sync();
    slot.loadMs = round(performance.now() - t0);
    slot.paramBytes = [...paramTensors(model.params)].reduce((n, t) => n + tensorBytes(t), 0);
    stage = 'prefill';
    slot.prefill = await timePrefill(model, sizes.prefill, sizes.reps, signal);
    stage = 'decode';
    slot.decode = await timeDecode(model, sizes.decode, signal);
    stage = 'memoir';
    slot.memoir = await timeEdits(model, load.codec, load.bundled, inputs, signal);
  } catch (e) {
    const cancelled = e instanceof EngineError && e.code === 'CANCELLED';
    slot.cut = cancelled || signal.aborted ? `${stage}: out of time` : `${stage}: ${(e as Error).message}`;
  } finally {
    model?.free();
  }
  return slot;
}

/** The commit measured: run.sh passes the one .device/ was packed from (the device copy has no .git). */
function commit(): string | null {
  if (process.env.EDITSCOPE_COMMIT) return process.env.EDITSCOPE_COMMIT;
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

async function main() {
  const started = performance.now();
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      budget: { type: 'string' },
      models: { type: 'string', default: `${BUNDLED},smollm2,qwen,qwen3` },
      precisions: { type: 'string', default: 'f32,f16,q8,q4' },
      out: { type: 'string' },
    },
  });
  const sizes: Sizes = values.quick ? SIZES.quick : SIZES.full;
  const budgetMs = Number(values.budget ?? sizes.budget) * 1000;
  const deadline = started + budgetMs;
  const models = values.models.split(',');
  const precisions = values.precisions.split(',') as WeightPrecision[];
  for (const m of models) {
    if (m !== BUNDLED && !(m in HUB_SHAPES)) {
      throw new Error(
        `bench:device: unknown model "${m}"; known: ${BUNDLED}, ${Object.keys(HUB_SHAPES).join(', ')}`,
      );
    }
  }

  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const caps = await probeCapabilities(gpu, false);
  const { createWebGpuBackend } = await import('../../src/engine/webgpu/backend');
  const backend = await createWebGpuBackend({ gpu });

  const benchmarks = join(ROOT, 'public', 'benchmarks');
  const background = (
    JSON.parse(readFileSync(join(benchmarks, 'background-prompts.json'), 'utf8')) as string[]
  ).slice(0, sizes.background);
  const records = parseRecords(
    JSON.parse(readFileSync(join(benchmarks, 'facts-edits.json'), 'utf8')),
    'facts',
  )
    .slice(0, sizes.edits)
    .map((r) => ({ prompt: r.prompt, target: r.target_new }));
  const inputs: EditInputs = { background, records, overrides: sizes.memoir };

  const root = mkdtempSync(join(tmpdir(), 'editscope-bench-device-'));
  const slots: Slot[] = [];
  const checkpoints: Record<string, { name: string; fileBytes: number; writeMs: number }> = {};
  let stopped: string | null = null;
  /** Prints (and writes to --out or $OUT) everything measured so far. */
  const report = () => {
    const text = JSON.stringify(
      {
        benchmark: 'device',
        date: new Date().toISOString(),
        command: `${ENTRY} ${process.argv.slice(2).join(' ')}`.trim(),
        commit: commit(),
        machine: { platform: platform(), cpus: cpus().length, cpu: cpus()[0]?.model, memBytes: totalmem() },
        node: process.version,
        adapter: caps.webgpu.available ? caps.webgpu.adapter : { unavailable: caps.webgpu.reason },
        quick: values.quick,
        sizes: { ...sizes, background: background.length, budget: budgetMs / 1000 },
        checkpoints,
        slots,
        stopped,
        totalSeconds: round((performance.now() - started) / 1000),
      },
      null,
      2,
    );
    console.log(text);
    const out = values.out ?? (process.env.OUT ? join(process.env.OUT, 'gpu-bench.json') : null);
    if (out) writeFileSync(out, `${text}\n`);
  };
  // run.sh's outer time limit: report what finished rather than nothing (a hung GPU call leaves the
  // event loop free for this; a long synchronous stretch delays it).
  process.once('SIGTERM', () => {
    stopped = 'SIGTERM (outer time limit)';
    report();
    process.exit(1);
  });
  try {
    for (const [mi, m] of models.entries()) {
      if (stopped) break;
      let load: Parameters<typeof measureSlot>[2];
      if (m === BUNDLED) {
        const codec = codecFromTokenizer(await localTokenizer(BUNDLED_DIR));
        load = { root: join(ROOT, 'public', 'models'), repo: 'editscope-facts', codec, bundled: true };
      } else {
        const shape = HUB_SHAPES[m as HubShape];
        const config = values.quick ? { ...shape.config, ...QUICK_SHAPE } : shape.config;
        mkdirSync(join(root, m));
        const t0 = performance.now();
        const fileBytes = writeCheckpoint(join(root, m), config, 'F32', 'shards' in shape ? shape.shards : 1);
        checkpoints[m] = { name: shape.name, fileBytes, writeMs: round(performance.now() - t0) };
        const bos = parseConfig(config, `${m}/config.json`).bosTokenId ?? 0;
        load = { root, repo: m, codec: byteCodec(bos), bundled: false };
      }
      for (const [pi, precision] of precisions.entries()) {
        if (performance.now() >= deadline) {
          stopped = `budget of ${budgetMs / 1000} s spent before ${m} at ${precision}`;
          break;
        }
        const slotsLeft = (models.length - mi) * precisions.length - pi;
        const share = (deadline - performance.now()) / slotsLeft;
        const slot = await measureSlot(backend, { model: m, precision }, load, sizes, inputs, share);
        slots.push(slot);
        console.warn(JSON.stringify(slot));
      }
      if (m !== BUNDLED) rmSync(join(root, m), { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    backend.rt.ctx.device.destroy();
  }

  report();
}

await main();
