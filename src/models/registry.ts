// The models a person can pick: the bundled demo models (served by the app under /models/, trained
// by tools/foundry) and suggested hub repos for users with internet. Same loader for both.
import type { ModelSource } from './hub';

export interface BundledModel {
  name: string;
  title: string;
  role: 'base' | 'counterfactual' | 'scope';
}

export const BUNDLED_MODELS: readonly BundledModel[] = [
  { name: 'editscope-facts', title: 'Editscope facts — tiny Llama trained on world facts', role: 'base' },
];

/** Llama/Qwen2-family repos the engine runs (safetensors weights). */
export const HUB_SUGGESTIONS: readonly string[] = [
  'HuggingFaceTB/SmolLM2-135M',
  'HuggingFaceTB/SmolLM2-360M-Instruct',
  'Qwen/Qwen2.5-0.5B-Instruct',
];

/** Base URL of the bundled models inside the app (same HF layout as a hub repo). */
export const BUNDLED_BASE_URL = '/models';

export function bundledSource(name: string): ModelSource {
  return { kind: 'local', base: BUNDLED_BASE_URL, repo: name };
}

export const DEFAULT_MODEL: ModelSource = bundledSource('editscope-facts');

/** The two models SERAC needs beside a base model, both trained for that base (DESIGN §5). */
export interface SeracCompanions {
  readonly counterfactual: ModelSource;
  readonly scope: ModelSource;
}

/** Bundled base model → its SERAC companions (tools/foundry trains all three). */
const SERAC_COMPANIONS: Readonly<Record<string, { counterfactual: string; scope: string }>> = {
  'editscope-facts': { counterfactual: 'editscope-facts-counterfactual', scope: 'editscope-scope' },
};

/** SERAC's companions for `base`, or null: no counterfactual or scope model exists for hub models. */
export function seracCompanionsFor(base: ModelSource): SeracCompanions | null {
  const names =
    base.kind === 'local' && base.base === BUNDLED_BASE_URL ? SERAC_COMPANIONS[base.repo] : undefined;
  return names
    ? { counterfactual: bundledSource(names.counterfactual), scope: bundledSource(names.scope) }
    : null;
}
