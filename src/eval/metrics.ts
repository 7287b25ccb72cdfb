// Knowledge-editing metrics as EasyEdit computes them: teacher-forced token accuracy (Reliability on the
// edit prompt, Generalization on rephrases), Locality as agreement of post- with pre-edit teacher-forced
// predictions, and exact match of a greedy continuation. Pure functions over token ids; no model calls.

import type { TeacherForced } from './method';

/** Fraction of target positions whose argmax is the target token. */
export function tokenAccuracy(tf: TeacherForced): number {
  if (tf.target.length === 0) throw new Error('metrics: empty target');
  let hits = 0;
  for (let i = 0; i < tf.target.length; i++) if (tf.predicted[i] === tf.target[i]) hits++;
  return hits / tf.target.length;
}

/** Fraction of positions where post-edit predictions equal the pre-edit ones (EasyEdit locality). */
export function agreement(pre: Int32Array, post: Int32Array): number {
  if (pre.length !== post.length || pre.length === 0) {
    throw new Error(
      `metrics: locality predictions must have equal non-zero length, got ${pre.length} and ${post.length}`,
    );
  }
  let same = 0;
  for (let i = 0; i < pre.length; i++) if (pre[i] === post[i]) same++;
  return same / pre.length;
}

/** 1 when the greedy continuation starts with exactly the target's tokens, else 0. */
export function exactMatch(generated: Int32Array, target: Int32Array): number {
  if (generated.length < target.length) return 0;
  for (let i = 0; i < target.length; i++) if (generated[i] !== target[i]) return 0;
  return 1;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Metrics of one edit record after all T edits; null = the record has no such prompts. */
export interface RecordMetrics {
  readonly id: string;
  /** The record's relation, when the benchmark names one. */
  readonly relation?: string;
  readonly rel: number;
  readonly gen: number | null;
  readonly loc: number | null;
  /** Loc over the record's locality prompts of each kind, for the kinds its prompts name. */
  readonly locByKind: Readonly<Record<string, number>>;
  readonly neighborhood: number | null;
  /** Greedy exact match of target_new on the edit prompt. */
  readonly em: number;
  /** Reliability of target_new before any edit (how much the edit had to change). */
  readonly relBefore: number;
}

export interface Summary {
  readonly records: number;
  readonly rel: number;
  readonly gen: number | null;
  readonly loc: number | null;
  /** Mean Loc per locality kind over the records that have prompts of that kind. */
  readonly locByKind: Readonly<Record<string, number>>;
  readonly neighborhood: number | null;
  readonly em: number;
  readonly relBefore: number;
}

/** Mean over records; a metric no record has is null. */
export function summarize(rows: readonly RecordMetrics[]): Summary {
  const avg = (pick: (r: RecordMetrics) => number | null): number | null => {
    const xs = rows.map(pick).filter((x): x is number => x !== null);
    return xs.length === 0 ? null : mean(xs);
  };
  return {
    records: rows.length,
    rel: mean(rows.map((r) => r.rel)),
    gen: avg((r) => r.gen),
    loc: avg((r) => r.loc),
    locByKind: Object.fromEntries(
      [...new Set(rows.flatMap((r) => Object.keys(r.locByKind)))]
        .sort()
        .map((kind) => [kind, avg((r) => r.locByKind[kind] ?? null)!]),
    ),
    neighborhood: avg((r) => r.neighborhood),
    em: mean(rows.map((r) => r.em)),
    relBefore: mean(rows.map((r) => r.relBefore)),
  };
}

export interface RelationSummary {
  readonly relation: string;
  readonly summary: Summary;
}

/** summarize() per relation, relations in name order; empty when no record names its relation. An
 *  average over a benchmark hides that some relations are much harder than others to edit or to route. */
export function summarizeByRelation(rows: readonly RecordMetrics[]): RelationSummary[] {
  const groups = new Map<string, RecordMetrics[]>();
  for (const r of rows) {
    if (r.relation === undefined) continue;
    const group = groups.get(r.relation) ?? [];
    group.push(r);
    groups.set(r.relation, group);
  }
  return [...groups.keys()]
    .sort()
    .map((relation) => ({ relation, summary: summarize(groups.get(relation)!) }));
}
