// The typed message protocol between the UI and the engine worker, imported by both sides.
// Every request carries an `id`; the worker answers with any number of `progress` events and
// exactly one terminal event (`result` or `error`). `cancel` aborts the request named by `target`.
import type { BackendName } from '../engine/backend';
import type { Capabilities } from '../engine/capabilities';
import type { SelfTestReport } from '../engine/selftest';

import type { ModelSource } from '../models/hub';
import type { WeightPrecision } from '../models/quantize';

export type { ModelSource, WeightPrecision };

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

/** What each call takes and gives back. Adding a call = one entry here + one handler in the worker. */
export interface Calls {
  capabilities: { params: Record<string, never>; result: Capabilities };
  selftest: { params: { m: number; k: number; n: number; seed: number }; result: SelfTestReport };
  loadModel: {
    params: { source: ModelSource; precision: WeightPrecision; backend: BackendName | 'auto' };
    result: ModelSummary;
  };
  /** Streams `token` events with the decoded text of each new token. */
  generate: { params: { prompt: string; maxTokens: number; sampling: Sampling }; result: Completion };
}
export type CallName = keyof Calls;
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
