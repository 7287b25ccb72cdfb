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

/** The two models SERAC needs beside a base model (DESIGN §5). As in SERAC, they are models of the
 *  edits, not of the base model: they read and write text with their own tokenizer, so the bundled
 *  ones (tools/foundry trained them on the bundled facts) serve any base model. */
export interface SeracCompanions {
  readonly counterfactual: ModelSource;
  readonly scope: ModelSource;
  /** Trained on what this base model was taught (the bundled facts model); otherwise an edit of a kind
   *  of fact they never saw may be scoped or answered poorly. */
  readonly trainedForBase: boolean;
}

/** The bundled counterfactual and scope models (tools/foundry trains them with the base model). */
const SERAC_COMPANIONS = {
  base: 'editscope-facts',
  counterfactual: 'editscope-facts-counterfactual',
  scope: 'editscope-scope',
} as const;

/** SERAC's companions for `base`: the bundled ones, trained for the bundled base model. */
export function seracCompanionsFor(base: ModelSource): SeracCompanions {
  return {
    counterfactual: bundledSource(SERAC_COMPANIONS.counterfactual),
    scope: bundledSource(SERAC_COMPANIONS.scope),
    trainedForBase:
      base.kind === 'local' && base.base === BUNDLED_BASE_URL && base.repo === SERAC_COMPANIONS.base,
  };
}
