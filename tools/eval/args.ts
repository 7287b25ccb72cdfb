// Command-line parsing for the eval CLI: `--name value` pairs into a typed options object with readable
// errors and the usage text. Pure (no I/O), so it is unit-tested. Not the run itself (cli.ts).

import type { Normalize, Pooling, Preset } from '../../src/editors/memoir/config';

/** auto: what the app runs for the model (its MEMOIR calibration); or one of the fixed presets. */
export type CliPreset = 'auto' | Preset;

export interface CliOptions {
  method: 'memoir' | 'serac';
  edits: string;
  /** Index of the first record edited: the run edits records from, from+1, … (a held-out split). */
  from: number;
  /** Undefined = every record from `from` on. */
  T?: number;
  /** Measure an evenly spaced sample of this many of the T edited records (undefined = all T). */
  measure?: number;
  /** Also measure the trained memory under each of these τ (the gate only acts at inference). */
  taus: number[];
  out?: string;
  /** The base model (both methods). */
  model: string;
  background: string;
  backend: 'cpu' | 'webgpu';
  precision: 'f32' | 'q8' | 'q4';
  preset: CliPreset;
  /** The calibration set `--preset auto` calibrates on when the model ships no calibration. */
  calibrationSet: string;
  /** Overrides of the preset's MEMOIR hyper-parameters. */
  memoir: {
    layer?: number;
    k?: number;
    tau?: number;
    pooling?: Pooling;
    normalize?: Normalize;
    prefixCopies?: number;
    maxSteps?: number;
    seed?: number;
  };
  /** SERAC: the counterfactual (a model directory or hub repo, or 'base': the base model with the edit in
   *  context) and the scope model (the bundled cross-encoder's directory, or a sentence-embedding model's
   *  directory or hub repo); undefined = what the app chooses for --model (registry.ts seracCompanionsFor). */
  counterfactual?: string;
  scope?: string;
  /** SERAC: in-scope threshold; undefined = the scope model's card, or its calibration for --model on the
   *  calibration set. */
  threshold?: number;
  /** SERAC: also measure the stored edits under each of these thresholds. */
  thresholds: number[];
  quiet: boolean;
}

export const USAGE = `usage: npm run eval -- --method memoir|serac --edits <records.json> [--T <n>] [--out <result.json>]
  --edits <file>              JSON or JSON lines: the project's records, EasyEdit/MEMOIR ZsRE, KnowEdit's or ROME's CounterFact
  --from <i>                  edit records i, i+1, … (default 0): e.g. a dev split after the test records
  --measure <m>               measure m evenly spaced records of the T edited (default: all T)
  --model <dir|hub repo>      base model, default public/models/editscope-facts
  --backend cpu|webgpu        default cpu (webgpu: Dawn through npm webgpu)
  --precision f32|q8|q4       default f32
 serac only (defaults: the companions the app chooses for --model, printed with why):
  --counterfactual <dir|hub repo|base>  the bundled base: public/models/editscope-facts-counterfactual;
                              any other: base (the base model itself, the edit in context; its chat template if it has one)
  --scope <dir|hub repo>      the bundled base: public/models/editscope-scope (cross-encoder);
                              any other: Xenova/all-MiniLM-L6-v2 (a sentence-embedding model, threshold calibrated)
  --threshold <p>             in scope when the top-1 score >= p, default the scope model's card (bundled: 0.94)
  --thresholds <p1,p2,...>    re-measure the same stored edits under each threshold (a Gen/Loc curve)
 memoir only:
  --taus <t1,t2,...>          re-measure the same trained memory under each τ (a Gen/Loc trade-off curve)
  --background <prompts.json> default public/benchmarks/background-prompts.json
  --preset auto|paper|last-zscore  default auto: what the app runs for --model, its memoir-calibration.json at
                              this precision when the model folder ships one, else a calibration now (paper: mean
                              pooling, centring, k = 28.6% of H, tau 0.4); the result and stderr say which ran
  --calibration-set <file>    what auto calibrates on, default public/calibration/calibration-set.json
                              or its calibration for --model on public/calibration/calibration-set.json
  --layer --k --tau --pooling mean|last --normalize center|zscore --prefix-copies --max-steps --seed
  --quiet                     no progress on stderr`;

const MEMOIR_ONLY = [
  '--taus',
  '--background',
  '--preset',
  '--calibration-set',
  '--layer',
  '--k',
  '--tau',
  '--pooling',
  '--normalize',
  '--prefix-copies',
  '--max-steps',
  '--seed',
];
const SERAC_ONLY = ['--counterfactual', '--scope', '--threshold', '--thresholds'];

function choice<T extends string>(flag: string, v: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T))
    throw new Error(`eval: ${flag} must be one of ${allowed.join(' | ')}, got "${v}"`);
  return v as T;
}

function number(flag: string, v: string, integer: boolean): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new Error(`eval: ${flag} must be ${integer ? 'an integer' : 'a number'}, got "${v}"`);
  }
  return n;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = {
    method: 'memoir',
    edits: '',
    model: 'public/models/editscope-facts',
    background: 'public/benchmarks/background-prompts.json',
    backend: 'cpu',
    precision: 'f32',
    preset: 'auto',
    calibrationSet: 'public/calibration/calibration-set.json',
    memoir: {},
    taus: [],
    thresholds: [],
    from: 0,
    quiet: false,
  };
  let method = '';
  const given: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quiet') {
      o.quiet = true;
      continue;
    }
    const v = argv[i + 1];
    if (!flag.startsWith('--') || v === undefined || v.startsWith('--')) {
      throw new Error(`eval: expected "--flag value" at "${flag}"\n${USAGE}`);
    }
    i++;
    given.push(flag);
    switch (flag) {
      case '--method':
        method = v;
        break;
      case '--edits':
        o.edits = v;
        break;
      case '--T':
        o.T = number(flag, v, true);
        break;
      case '--from':
        o.from = number(flag, v, true);
        if (o.from < 0) throw new Error(`eval: --from must be >= 0, got "${v}"`);
        break;
      case '--measure':
        o.measure = number(flag, v, true);
        break;
      case '--taus':
        o.taus = v.split(',').map((t) => number(flag, t, false));
        break;
      case '--thresholds':
        o.thresholds = v.split(',').map((t) => number(flag, t, false));
        break;
      case '--out':
        o.out = v;
        break;
      case '--model':
        o.model = v;
        break;
      case '--background':
        o.background = v;
        break;
      case '--backend':
        o.backend = choice(flag, v, ['cpu', 'webgpu'] as const);
        break;
      case '--precision':
        o.precision = choice(flag, v, ['f32', 'q8', 'q4'] as const);
        break;
      case '--preset':
        o.preset = choice(flag, v, ['auto', 'paper', 'last-zscore'] as const);
        break;
      case '--calibration-set':
        o.calibrationSet = v;
        break;
      case '--layer':
        o.memoir.layer = number(flag, v, true);
        break;
      case '--k':
        o.memoir.k = number(flag, v, true);
        break;
      case '--tau':
        o.memoir.tau = number(flag, v, false);
        break;
      case '--pooling':
        o.memoir.pooling = choice(flag, v, ['mean', 'last'] as const);
        break;
      case '--normalize':
        o.memoir.normalize = choice(flag, v, ['center', 'zscore'] as const);
        break;
      case '--prefix-copies':
        o.memoir.prefixCopies = number(flag, v, true);
        break;
      case '--max-steps':
        o.memoir.maxSteps = number(flag, v, true);
        break;
      case '--seed':
        o.memoir.seed = number(flag, v, true);
        break;
      case '--counterfactual':
        o.counterfactual = v;
        break;
      case '--scope':
        o.scope = v;
        break;
      case '--threshold':
        o.threshold = number(flag, v, false);
        if (o.threshold < 0 || o.threshold > 1) {
          throw new Error(`eval: --threshold must be in [0, 1], got "${v}"`);
        }
        break;
      default:
        throw new Error(`eval: unknown flag ${flag}\n${USAGE}`);
    }
  }
  if (method !== 'memoir' && method !== 'serac') {
    throw new Error(
      `eval: --method must be memoir | serac (the methods this CLI runs), got "${method}"\n${USAGE}`,
    );
  }
  o.method = method;
  // A flag of the other method would be silently ignored: say so instead.
  const foreign = given.filter((f) => (method === 'serac' ? MEMOIR_ONLY : SERAC_ONLY).includes(f));
  if (foreign.length > 0) {
    const other = method === 'serac' ? 'memoir' : 'serac';
    throw new Error(
      `eval: ${foreign.join(', ')}: ${other}-only flag(s), not used by --method ${method}\n${USAGE}`,
    );
  }
  if (!o.edits) throw new Error(`eval: --edits <records.json> is required\n${USAGE}`);
  return o;
}
