// MEMOIR routing diagnostics over benchmark records after the edits are in: how often edit prompts and
// rephrases reach their own edit, how often unrelated and neighbourhood prompts open the memory, and the
// overlap distributions behind those rates (DESIGN §4 asks to report them). Not a metric of the outputs.

import type { BenchRecord } from '../../eval/records';
import type { MemoirEditor } from './editor';

export interface Quantiles {
  readonly n: number;
  readonly min: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
}

/** Where prompts of one kind were routed, as fractions, plus their overlap distributions. */
export interface KindReport {
  readonly prompts: number;
  /** Routed to the record's own edit (edit prompts and rephrases only). */
  readonly own: number;
  /** Routed to another edit. */
  readonly other: number;
  /** Memory off (best overlap below τ). */
  readonly none: number;
  /** Overlap with the record's own edit mask. */
  readonly ownOverlap: Quantiles;
  /** Best overlap among the other edits. */
  readonly bestOtherOverlap: Quantiles;
}

export interface RoutingReport {
  readonly tau: number;
  readonly k: number;
  readonly H: number;
  /** k / H: the expected overlap of two unrelated random masks. */
  readonly randomFloor: number;
  readonly editPrompt: KindReport;
  readonly rephrase: KindReport;
  readonly locality: KindReport;
  readonly neighborhood: KindReport;
}

export function quantiles(xs: readonly number[]): Quantiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]);
  return { n: s.length, min: at(0), p10: at(0.1), p50: at(0.5), p90: at(0.9), max: at(1) };
}

/** Counts of overlaps in `bins` equal bins over [0, 1] (1 itself falls in the last bin): the data of
 *  the MEMOIR paper's overlap-distribution figure. */
export function histogram(xs: readonly number[], bins = 20): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const x of xs) {
    if (!(x >= 0 && x <= 1)) throw new RangeError(`histogram: overlap ${x} is outside [0, 1]`);
    counts[Math.min(bins - 1, Math.floor(x * bins))]++;
  }
  return counts;
}

/** A prompt that should reach its own edit: its best score, and whether that best is its own edit. */
export interface PositiveRoute {
  readonly best: number;
  readonly bestIsOwn: boolean;
}

/** The loosest gate "open when the best score exceeds `above`" that opens for at most `maxOpen` of
 *  `negatives` (best scores of prompts that must not open the memory), and the fraction of `positives`
 *  routed to their own edit through it. It answers "how much Gen can any τ buy at this Loc?" for one
 *  feature: no τ does better, since a lower one opens for more negatives. Scores may be overlaps or any
 *  similarity; on overlaps (multiples of 1/k) the equivalent τ is `above` + 1/k. */
export function operatingPoint(
  positives: readonly PositiveRoute[],
  negatives: readonly number[],
  maxOpen: number,
): { above: number; open: number; positivesRoutedOwn: number } {
  if (positives.length === 0 || negatives.length === 0 || !(maxOpen >= 0 && maxOpen < 1)) {
    throw new RangeError('operatingPoint: needs positives, negatives and maxOpen in [0, 1)');
  }
  const descending = [...negatives].sort((a, b) => b - a);
  // The gate must shut on the (allowed+1)-th highest negative; ties at it shut with it.
  const above = descending[Math.floor(maxOpen * descending.length)];
  return {
    above,
    open: descending.filter((x) => x > above).length / descending.length,
    positivesRoutedOwn: positives.filter((p) => p.bestIsOwn && p.best > above).length / positives.length,
  };
}

type Kind = 'editPrompt' | 'rephrase' | 'locality' | 'neighborhood';

/** Probe every prompt of the edited records (the editor must hold edits with the records' ids). */
export async function routingReport(
  editor: MemoirEditor,
  records: readonly BenchRecord[],
): Promise<RoutingReport> {
  const acc: Record<Kind, { routes: ('own' | 'other' | 'none')[]; own: number[]; other: number[] }> = {
    editPrompt: { routes: [], own: [], other: [] },
    rephrase: { routes: [], own: [], other: [] },
    locality: { routes: [], own: [], other: [] },
    neighborhood: { routes: [], own: [], other: [] },
  };
  for (const r of records) {
    const prompts: [Kind, string][] = [
      ['editPrompt', r.prompt],
      ...r.rephrases.map((p): [Kind, string] => ['rephrase', p]),
      ...r.locality.map((p): [Kind, string] => ['locality', p.prompt]),
      ...(r.neighborhood ?? []).map((p): [Kind, string] => ['neighborhood', p.prompt]),
    ];
    for (const [kind, prompt] of prompts) {
      const probe = await editor.probe(prompt);
      const a = acc[kind];
      a.routes.push(probe.routed === null ? 'none' : probe.routed === r.id ? 'own' : 'other');
      a.own.push(probe.overlaps.get(r.id) ?? NaN);
      let other = 0;
      for (const [id, o] of probe.overlaps) if (id !== r.id) other = Math.max(other, o);
      a.other.push(other);
    }
  }
  const report = (kind: Kind): KindReport => {
    const { routes, own, other } = acc[kind];
    const frac = (x: string) =>
      routes.length === 0 ? NaN : routes.filter((y) => y === x).length / routes.length;
    return {
      prompts: routes.length,
      own: frac('own'),
      other: frac('other'),
      none: frac('none'),
      ownOverlap: quantiles(own.filter((x) => !Number.isNaN(x))),
      bestOtherOverlap: quantiles(other),
    };
  };
  const { tau, k } = editor.config;
  const H = editor.H;
  return {
    tau,
    k,
    H,
    randomFloor: k / H,
    editPrompt: report('editPrompt'),
    rephrase: report('rephrase'),
    locality: report('locality'),
    neighborhood: report('neighborhood'),
  };
}
