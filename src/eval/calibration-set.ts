// The calibration set (public/calibration/, built by tools/foundry/calibration-set.mjs): real facts in
// several phrasings of its own plus general text, from which each editor picks its settings per model
// (MEMOIR's layer/k/pooling/τ, SERAC's scope threshold). Types, the validating parser, and the split of
// prompts that must not open an edit. Not the benchmark, and not used to report results.

import { EngineError } from '../engine/errors';

export interface CalibrationFact {
  readonly id: string; // e.g. "capital/France", unique
  readonly relation: string; // e.g. "capital"
  readonly subject: string; // e.g. "France"
  readonly answer: string; // the true answer, no leading space, e.g. "Paris"
  /** The edit prompt: a cloze ending right before the answer ("France has its capital in"). */
  readonly prompt: string;
  /** >= 3 other phrasings of the same fact: a question, a statement-cloze, a cloze after a short context
   *  sentence, ... (own phrasings: none of the benchmark's/foundry's templates). */
  readonly paraphrases: readonly string[];
}

export interface CalibrationSet {
  readonly id: string; // "editscope-calibration-v1": stored in every calibration record
  readonly facts: readonly CalibrationFact[];
  readonly text: readonly string[]; // general-text prompts that state no fact
}

/** The URL the app serves it at. */
export const CALIBRATION_SET_URL = '/calibration/calibration-set.json';

const MIN_PARAPHRASES = 3;
const MAX_PROBLEMS = 20;

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Validates (EngineError 'LOAD' naming each problem) and returns the set. */
export function parseCalibrationSet(json: unknown): CalibrationSet {
  const problems: string[] = [];
  const text = (where: string, v: unknown): string => {
    if (typeof v !== 'string' || v.trim() === '')
      problems.push(`${where} must be a non-empty string, got ${kind(v)}`);
    return v as string;
  };
  const strings = (where: string, v: unknown, min: number): string[] => {
    if (!Array.isArray(v) || v.length < min) {
      problems.push(
        `${where} must be an array of at least ${min} strings, got ${kind(v)}${Array.isArray(v) ? ` of ${v.length}` : ''}`,
      );
      return [];
    }
    return v.map((s, i) => text(`${where}[${i}]`, s));
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new EngineError(
      'LOAD',
      `calibration set: must be an object { id, facts, text }, got ${kind(json)}`,
    );
  }
  const raw = json as Record<string, unknown>;
  const id = text('id', raw.id);
  const ids = new Set<string>();
  const facts: CalibrationFact[] = (Array.isArray(raw.facts) ? raw.facts : []).map((f: unknown, i) => {
    const at = `facts[${i}]`;
    const o = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
    const fact: CalibrationFact = {
      id: text(`${at}.id`, o.id),
      relation: text(`${at}.relation`, o.relation),
      subject: text(`${at}.subject`, o.subject),
      answer: text(`${at}.answer`, o.answer),
      prompt: text(`${at}.prompt`, o.prompt),
      paraphrases: strings(`${at}.paraphrases`, o.paraphrases, MIN_PARAPHRASES),
    };
    // The answer follows the prompt after one space: a leading space would make it two.
    if (typeof fact.answer === 'string' && fact.answer !== fact.answer.trim()) {
      problems.push(`${at}.answer must have no leading or trailing space, got "${fact.answer}"`);
    }
    if (typeof fact.id === 'string') {
      if (ids.has(fact.id)) problems.push(`${at}.id "${fact.id}" appears twice`);
      ids.add(fact.id);
    }
    return fact;
  });
  if (!Array.isArray(raw.facts) || raw.facts.length < 2) {
    problems.push(`facts must be an array of at least 2 facts, got ${kind(raw.facts)}`);
  }
  const general = strings('text', raw.text, 1);
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length > MAX_PROBLEMS ? ` (and ${problems.length - MAX_PROBLEMS} more)` : '';
    throw new EngineError(
      'LOAD',
      `calibration set: ${problems.length} problem(s): ${shown.join('; ')}${more}`,
      'rebuild it with `node tools/foundry/calibration-set.mjs`',
    );
  }
  return { id, facts, text: general };
}

/** Every phrasing of a fact: its edit prompt, then its paraphrases. */
function phrasings(fact: CalibrationFact): string[] {
  return [fact.prompt, ...fact.paraphrases];
}

/** Prompts that must NOT open an edit of `fact`: every phrasing (prompt and paraphrases) of the same
 *  relation about other subjects and of other relations about the same subject, and the general text. */
export function unrelatedTo(
  set: CalibrationSet,
  fact: CalibrationFact,
): { sameRelation: string[]; sameSubject: string[]; text: string[] } {
  const others = set.facts.filter((f) => f.id !== fact.id);
  return {
    sameRelation: others
      .filter((f) => f.relation === fact.relation && f.subject !== fact.subject)
      .flatMap(phrasings),
    sameSubject: others
      .filter((f) => f.subject === fact.subject && f.relation !== fact.relation)
      .flatMap(phrasings),
    text: [...set.text],
  };
}

/** A counterfactual answer for `fact`, as an edit of it would give: the answer of the next fact of the
 *  same relation (in set order, wrapping) whose answer differs; null when no fact of the relation has
 *  another answer. */
export function counterfactualAnswer(set: CalibrationSet, fact: CalibrationFact): string | null {
  const peers = set.facts.filter((g) => g.relation === fact.relation && g.answer !== fact.answer);
  const at = set.facts.indexOf(fact);
  return (peers.find((g) => set.facts.indexOf(g) > at) ?? peers[0])?.answer ?? null;
}
