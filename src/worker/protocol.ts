// The typed message protocol between the UI and the engine worker, imported by both sides.
// Every request carries an `id`; the worker answers with any number of `progress` events and
// exactly one terminal event (`result` or `error`). `cancel` aborts the request named by `target`.
import type { BackendName } from '../engine/backend';
import type { Capabilities } from '../engine/capabilities';
import type { SelfTestReport } from '../engine/selftest';
import type { RelationSummary, Summary } from '../eval/metrics';
import type { BenchRecord } from '../eval/records';

import type { MemoirCalibration } from '../editors/memoir/calibration';
import type { MemoirPresetChoice } from '../store/calibration';
import type { ModelSource } from '../models/hub';
import type { WeightPrecision } from '../engine/quantize';

export type { MemoirCalibration, MemoirPresetChoice, ModelSource, WeightPrecision };

export interface ModelSummary {
  source: ModelSource;
  architecture: string;
  layers: number;
  hidden: number;
  vocabSize: number;
  parameters: number;
  backend: BackendName;
  precision: WeightPrecision;
  /** Bytes the weights take on the backend (after quantization). */
  weightBytes: number;
  loadMillis: number;
  /** Hub files that loaded but the browser's cache refused to keep (e.g. storage full). */
  notCached?: NotCached[];
  /** The tokenizer config has a chat_template: Probe and Compare offer a Chat mode (chatPrompt). */
  chatTemplate: boolean;
  /** The weight and config files this load read, and whether each came from the cache or the network. */
  files: LoadedFile[];
}

export interface LoadedFile {
  file: string;
  bytes: number;
  from: 'cache' | 'network';
}

/** A downloaded file that will download again next time, and why. */
export interface NotCached {
  file: string;
  reason: string;
}

export type Sampling =
  { kind: 'greedy' } | { kind: 'sample'; temperature: number; topP: number; seed: number };

export interface Completion {
  text: string;
  tokens: number;
  stopReason: 'eos' | 'max-tokens';
  prefillMillis: number;
  decodeMillis: number;
}

/** A stored edit as the user typed it. */
export interface EditText {
  id: string;
  prompt: string;
  target: string;
  createdAt: number;
}

/** A stored MEMOIR edit in force, as the UI sees it. */
export interface EditSummary extends EditText {
  /** SGD steps the edit took and its final loss on the training batch. */
  steps: number;
  finalLoss: number;
}

/** One candidate for the token after a prompt: its text (leading space kept) and probability. */
export interface TokenProbability {
  token: string;
  p: number;
}

/** MEMOIR's routing decision for one prompt: the best-matching stored edit and whether it fired. */
export interface RoutingSummary {
  tau: number;
  best: { id: string; prompt: string; target: string; overlap: number } | null;
  applied: boolean;
}

/** SERAC's routing decision for one prompt: the stored edit the scope classifier scores highest and
 *  whether that score reaches the threshold (then the counterfactual model answers, else the base). */
export interface SeracRoutingSummary {
  threshold: number;
  best: { id: string; prompt: string; target: string; score: number } | null;
  applied: boolean;
}

/** SERAC's companion models for the loaded base model (registry.ts seracCompanionsFor), each with why. */
export interface SeracCompanionsInUse {
  /** cross-encoder: the bundled scope model; embedding: a sentence-embedding model (its threshold
   *  calibrated for this base model). `model`: describeSource of it. */
  scope: { kind: 'cross-encoder' | 'embedding'; model: string; reason: string };
  /** The form it reads (serac/counterfactual.ts): a model trained for SERAC, or a model (the base itself
   *  when `model` is null) given the edit in context, plainly or in its chat template. */
  counterfactual: { kind: 'trained' | 'in-context' | 'chat'; model: string | null; reason: string };
  /** What the user picked for this base model (unset: the defaults). */
  picks: { scopeModel?: string; counterfactualModel?: string };
}

/** SERAC's scope threshold for the loaded model: the one it routes with, where it came from, and the
 *  companions. */
export interface SeracThreshold {
  /** The user's, stored for this base model and scope model, else the scope model's own (its card, or
   *  its calibration for this base model); null while an embedding scope is not calibrated yet (the
   *  first SERAC call, or seracCalibrate, calibrates it). */
  threshold: number | null;
  source: 'user' | 'card' | 'calibrated' | 'uncalibrated';
  /** The scope model's own (card or calibration): what "back to default" sets; null before calibration. */
  defaultThreshold: number | null;
  /** The embedding scope's calibration for this base model, when there is one. */
  calibration: { threshold: number; paraphraseOwn: number; reason: string; createdAt: number } | null;
  companions: SeracCompanionsInUse;
  /** A stored setting that could not be read or used, and why (routing then uses the default). */
  problems: string[];
}

/** One probe of an edit's scope: how the prompt's mask overlaps that edit, where MEMOIR routes it, and
 *  what the base and edited models answer. */
export interface ScopeProbe {
  prompt: string;
  /** Mask overlap with the edit under study (whether or not it is the best match). */
  overlap: number;
  routing: RoutingSummary;
  base: string;
  edited: string;
}

/** One probe of an edit's scope by SERAC: the scope classifier's score for that edit (whether or not
 *  it is the top one), where SERAC routed the prompt, and its answer. */
export interface SeracScopeProbe {
  prompt: string;
  score: number;
  routing: SeracRoutingSummary;
  answer: string;
}

/** The editor's state after the model loaded: its edits and any stored records it had to skip. */
export interface MemoirStatus {
  modelId: string;
  config: { layer: number; k: number; H: number; tau: number; pooling: string; normalize: string };
  /** The τ a new memory of this model starts with (config.tau may differ: set by the user, or stored
   *  before the default changed). */
  defaultTau: number;
  edits: EditSummary[];
  /** Stored edits whose trained change could not be restored (store/memoir.ts editsNotInForce): not in
   *  MEMOIR (SERAC, which holds an edit's text, still has them); each can be applied again (memoirEdit
   *  `replaces`) or removed (memoirDelete). */
  notInForce: EditText[];
  problems: string[];
}

/** Where MEMOIR's configuration for a new memory of the loaded model comes from. */
export interface MemoirCalibrationStatus {
  modelId: string;
  precision: WeightPrecision;
  /** The model's calibration at this precision, null when it was never calibrated. */
  calibration: MemoirCalibration | null;
  /** Made in this browser (stored), or shipped with the bundled model; null with no calibration. */
  from: 'stored' | 'shipped' | null;
  preset: MemoirPresetChoice;
  /** The next edit into an empty memory calibrates the model first (a hub model never calibrated, under
   *  the calibrated preset; a bundled one keeps the preset measured for it until calibrated). */
  calibratesFirst: boolean;
  /** What a new memory starts with under the preset; null when it calibrates first. A memory with edits
   *  keeps the config they were trained with (MemoirStatus.config). */
  newMemory: MemoirStatus['config'] | null;
  /** Stored settings that could not be used, and why. */
  problems: string[];
}

/** A stored MEMOIR edit's TopHash mask: the k columns of Wm (of H) its training wrote, sorted. */
export interface EditMask {
  id: string;
  prompt: string;
  target: string;
  /** (k) sorted column indices in [0, H). */
  cols: Int32Array;
}

/** One run of the bundled facts benchmark in the browser (worker/benchmark.ts), by either editor. */
export interface BenchmarkRunSummary {
  modelId: string;
  /** Edits applied one after another: the benchmark's first T records. */
  T: number;
  /** Records measured after all T edits (an evenly spaced sample of them when fewer than T). */
  measured: number;
  summary: Summary;
  /** The summary per relation of the measured records. */
  byRelation: readonly RelationSummary[];
  millis: { baseline: number; edit: number; measure: number };
  /** Mean SGD updates per edit (0 for SERAC, which trains nothing). */
  meanSteps: number;
}

/** The metrics of one run's edited memory re-measured with its gate (τ or threshold) at another value. */
export interface GatePoint {
  gate: number;
  summary: Summary;
}

/** Where a run's editor drew the line: the gate it ran with (its `summary`) and the same edits re-measured
 *  along a grid of gate values, ascending, `gate` included (the Gen/Loc trade-off of the gate). */
export interface GateSweep {
  gate: number;
  sweep: readonly GatePoint[];
}

/** The gate is MEMOIR's τ (mask overlap) or SERAC's scope threshold (classifier score). */
export type BenchmarkResult = BenchmarkRunSummary & GateSweep & { method: 'memoir' | 'serac' };

/** A lesson run (src/share/lesson.ts): its edits, trained into a scratch memory, and its probe prompts,
 *  probed against the first edit as a scope run probes a stored one. */
export interface LessonParams {
  edits: { prompt: string; target: string }[];
  prompts: string[];
  maxTokens: number;
}

/** A benchmark run's edits: the first T records, `measure` of them measured; the records of an uploaded
 *  edit file (src/eval/formats), or the bundled facts benchmark when none are given. */
export interface BenchmarkParams {
  T: number;
  measure: number;
  records?: BenchRecord[];
}

/** What each call takes and gives back. Adding a call = one entry here + one handler in the worker. */
export interface Calls {
  capabilities: { params: Record<string, never>; result: Capabilities };
  selftest: { params: { m: number; k: number; n: number; seed: number }; result: SelfTestReport };
  loadModel: {
    params: {
      source: ModelSource;
      precision: WeightPrecision;
      backend: BackendName | 'auto';
      /** A hub access token for gated repos: used for this load's hub requests only, kept nowhere. */
      accessToken?: string;
    };
    result: ModelSummary;
  };
  /** Streams `token` events with the decoded text of each new token. */
  generate: { params: { prompt: string; maxTokens: number; sampling: Sampling }; result: Completion };
  /** `text` as one user turn of the loaded model's chat template, with the assistant's turn opened
   *  (apply_chat_template, add_generation_prompt): a prompt for any call that takes one. */
  chatPrompt: { params: { text: string }; result: string };
  /** The loaded model's MEMOIR memory, restored from IndexedDB on load. */
  memoirStatus: { params: Record<string, never>; result: MemoirStatus };
  /** Train one edit into the memory; progress per SGD step carries loss and target probability. The
   *  first edit of a model never calibrated (under the calibrated preset) calibrates it first, with
   *  memoirCalibrate's progress.
   *  `replaces`: the id of an edit not in force that this one applies again; it takes that id and
   *  creation time, and its stored records are overwritten. */
  memoirEdit: { params: { prompt: string; target: string; replaces?: string }; result: EditSummary };
  /** The loaded model's MEMOIR calibration and preset choice. */
  memoirCalibration: { params: Record<string, never>; result: MemoirCalibrationStatus };
  /** Calibrate MEMOIR for the loaded model (calibrateMemoir on the shipped calibration set) and store it;
   *  progress per stage (labels CALIBRATION_STAGES), cancellable: a cancelled calibration stores nothing.
   *  Under the calibrated preset an empty memory takes the new configuration. */
  memoirCalibrate: { params: Record<string, never>; result: MemoirCalibrationStatus };
  /** Choose the preset a new memory of the model starts with (stored per model); an empty memory takes
   *  it at once, one with edits keeps its layer and k (its τ can be set with memoirSetTau). */
  memoirSetPreset: { params: { preset: MemoirPresetChoice }; result: MemoirCalibrationStatus };
  /** Delete stored edits (one, or all of them; in force or not), each exactly, in one stored change. */
  memoirDelete: { params: { ids: string[] }; result: { remaining: number } };
  /** Gate the memory at another τ (inference only: the edits stay as trained); stored with the memory. */
  memoirSetTau: { params: { tau: number }; result: MemoirStatus };
  /** The loaded model's MEMOIR edits with their trained masks and deltas, Wm and config, as a backup
   *  file's text (src/store/backup.ts). */
  memoirExport: { params: Record<string, never>; result: { fileName: string; text: string } };
  /** Restores a backup file of the loaded model into an empty edit list (refused while any edit is
   *  stored, so an import never takes the place of edits); the restored edits are stored. */
  memoirImport: { params: { text: string }; result: MemoirStatus };
  /** The stored edits' masks in edit order, with the memory's width H, k and τ: masks only, never Wm
   *  (E·k int32, small), for the Memory view. */
  memoirMasks: {
    params: Record<string, never>;
    result: { H: number; k: number; tau: number; edits: EditMask[] };
  };
  /** A prompt's TopHash mask, computed but not trained (nothing is stored), and its overlap
   *  |mask ∩ e| / k with each stored edit's mask, in edit order. */
  memoirPreviewMask: {
    params: { prompt: string };
    result: { cols: Int32Array; overlaps: { id: string; overlap: number }[] };
  };
  /** Greedy completions of the base model and the MEMOIR-edited model, with the routing decision and
   *  the most likely next tokens of each. */
  memoirCompare: {
    params: { prompt: string; maxTokens: number };
    result: {
      base: string;
      edited: string;
      routing: RoutingSummary;
      next: { base: TokenProbability[]; edited: TokenProbability[] };
    };
  };
  /** memoirCompare for many prompts at once, each with its overlap with one stored edit; progress per
   *  prompt, cancellable between prompts. */
  memoirScope: {
    params: { editId: string; prompts: string[]; maxTokens: number };
    result: { tau: number; probes: ScopeProbe[] };
  };
  /** Rel/Gen/Loc of MEMOIR on the bundled facts benchmark, trained into a scratch memory (the stored
   *  edits are untouched); progress per phase (label baseline | edit | measure), cancellable. */
  memoirBenchmark: { params: BenchmarkParams; result: BenchmarkResult };
  /** SERAC's greedy answer over the stored edits, with its routing decision. The first call loads the
   *  counterfactual and scope models (progress per file); only the bundled base model has them. */
  seracCompare: {
    params: { prompt: string; maxTokens: number };
    result: { answer: string; routing: SeracRoutingSummary };
  };
  /** SERAC's scope threshold for the loaded model (reads the scope model's card, not its weights). */
  seracThreshold: { params: Record<string, never>; result: SeracThreshold };
  /** Route SERAC at another threshold (null: the scope model's own); stored per base model. */
  seracSetThreshold: { params: { threshold: number | null }; result: SeracThreshold };
  /** Use other companion models for the loaded base model from now on (stored per base model; an unset
   *  field goes back to the default). They load, and an embedding scope calibrates, on the next call. */
  seracSetCompanions: {
    params: { scopeModel?: string; counterfactualModel?: string };
    result: SeracThreshold;
  };
  /** Load SERAC's companions and calibrate an embedding scope's threshold for the loaded base model on
   *  the shipped calibration set (again, when it was), storing it; progress and cancel. */
  seracCalibrate: { params: Record<string, never>; result: SeracThreshold };
  /** memoirScope for SERAC: every prompt's answer and its score for one stored edit. */
  seracScope: {
    params: { editId: string; prompts: string[]; maxTokens: number };
    result: { threshold: number; probes: SeracScopeProbe[] };
  };
  /** memoirBenchmark for SERAC: the first T records stored in a scratch SERAC memory. */
  seracBenchmark: { params: BenchmarkParams; result: BenchmarkResult };
  /** A lesson's edits trained into a scratch memory (the stored edits are neither used nor changed),
   *  then memoirScope's probes against its first edit (id "lesson-1"); progress per SGD step
   *  (label 'lesson edits'), then per prompt; cancellable. */
  memoirLesson: { params: LessonParams; result: { tau: number; edits: EditSummary[]; probes: ScopeProbe[] } };
  /** memoirLesson for SERAC: the lesson's edits in a scratch SERAC memory, then seracScope's probes. */
  seracLesson: { params: LessonParams; result: { threshold: number; probes: SeracScopeProbe[] } };
}
export type CallName = keyof Calls;

/** The progress labels of a MEMOIR calibration's two stages (calibrate.ts CalibrationProgress). */
export const CALIBRATION_STAGES = {
  features: 'calibration: routing on the calibration set',
  trials: 'calibration: trial edits',
} as const;
export type ParamsOf<K extends CallName> = Calls[K]['params'];
export type ResultOf<K extends CallName> = Calls[K]['result'];

export type CallRequest = {
  [K in CallName]: { type: 'call'; id: number; call: K; params: ParamsOf<K> };
}[CallName];
export type CancelRequest = { type: 'cancel'; id: number; target: number };
export type Request = CallRequest | CancelRequest;

/** initiate → progress* → done for each named piece of work (a file, a step); ready when all is set. */
export type ProgressStatus = 'initiate' | 'progress' | 'done' | 'ready';
export interface Progress {
  status: ProgressStatus;
  /** What is being worked on, e.g. a file name or "edit steps". */
  label: string;
  loaded: number;
  total: number;
  /** Named numbers for this step, e.g. an edit step's loss and target probability. */
  metrics?: Record<string, number>;
  /** A file's bytes come from this browser's cache or a download; a step's result from the cache or
   *  shipped with the bundled model (MEMOIR's background statistics). */
  from?: 'cache' | 'network' | 'shipped';
}

/** Errors cross postMessage as plain data; `code` lets the UI branch (e.g. DEVICE_LOST → reload model). */
export interface WireError {
  code: string;
  message: string;
}

export type WorkerEvent =
  | ({ type: 'progress'; id: number } & Progress)
  | { type: 'token'; id: number; text: string }
  | { type: 'result'; id: number; result: ResultOf<CallName> }
  | { type: 'error'; id: number; error: WireError };
