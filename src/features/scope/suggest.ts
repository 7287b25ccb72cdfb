// Probe suggestions for the Scope view, from the bundled facts benchmark. When an edit prompt is one of
// the benchmark's phrasings filled with a subject ("The capital of {} is" with "France"), the benchmark
// knows that relation's other phrasings (paraphrases, which should take the new answer), the subject's
// other facts and the relation's other subjects (related facts, which must keep their answers), and
// general text. So a class gets a ready scope test for any fact the bundled model was taught.
// Pure: the view fetches the records and keeps the typed text.
import type { BenchRecord } from '../../eval/records';
import { promptLines, type ProbeGroup } from './groups';

export interface ProbeSuggestion {
  readonly relation: string;
  readonly subject: string;
  readonly prompts: Readonly<Record<ProbeGroup['id'], readonly string[]>>;
}

/** A phrasing with its subject cut out: "The capital of " + subject + " is". */
interface Frame {
  readonly before: string;
  readonly after: string;
}

/** How many prompts each group gets at most: a scope run costs a generation per prompt and editor. */
const PER_GROUP = 6;
const UNRELATED = 3;

function frameOf(prompt: string, subject: string): Frame | null {
  const at = prompt.indexOf(subject);
  return at < 0 ? null : { before: prompt.slice(0, at), after: prompt.slice(at + subject.length) };
}

/** The subject `frame` leaves in `prompt`, or null when the prompt is not this phrasing. */
function subjectIn(prompt: string, frame: Frame): string | null {
  const { before, after } = frame;
  if (prompt.length <= before.length + after.length) return null;
  if (!prompt.startsWith(before) || !prompt.endsWith(after)) return null;
  const subject = prompt.slice(before.length, prompt.length - after.length).trim();
  return subject.length > 0 ? subject : null;
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

/** Suggested probes for an edit of `editPrompt`, or null when it is none of the benchmark's phrasings.
 *  Where phrasings overlap ("{}'s capital is" in "The state {}'s capital is"), the longest frame wins. */
export function suggestProbes(records: readonly BenchRecord[], editPrompt: string): ProbeSuggestion | null {
  const prompt = editPrompt.trim();
  let match: { relation: string; subject: string; frame: Frame } | null = null;
  for (const r of records) {
    const frame = r.relation === undefined ? null : frameOf(r.prompt, r.subject);
    const subject = frame && subjectIn(prompt, frame);
    if (!frame || !subject) continue;
    const length = frame.before.length + frame.after.length;
    if (!match || length > match.frame.before.length + match.frame.after.length) {
      match = { relation: r.relation!, subject, frame };
    }
  }
  if (!match) return null;
  const { relation, subject, frame } = match;
  const sameRelation = records.filter((r) => r.relation === relation);
  const phrasings = sameRelation.flatMap((r) =>
    [r.prompt, ...r.rephrases].flatMap((p) => frameOf(p, r.subject) ?? []),
  );
  const reach = unique(phrasings.map((f) => `${f.before}${subject}${f.after}`)).filter(
    (p) => p !== `${frame.before}${subject}${frame.after}`,
  );
  const otherFacts = records
    .filter((r) => r.subject === subject && r.relation !== relation)
    .map((r) => r.prompt);
  const otherSubjects = sameRelation.filter((r) => r.subject !== subject).map((r) => r.prompt);
  const related = [
    ...otherFacts.slice(0, PER_GROUP / 2),
    ...otherSubjects.slice(0, PER_GROUP - Math.min(otherFacts.length, PER_GROUP / 2)),
  ];
  const text = records.flatMap((r) => r.locality.filter((l) => l.kind === 'text').map((l) => l.prompt));
  return {
    relation,
    subject,
    prompts: {
      reach: reach.slice(0, PER_GROUP),
      related,
      unrelated: unique(text).slice(0, UNRELATED),
    },
  };
}

/** What the Scope view's three boxes hold, one prompt per line. */
export type ProbeTexts = Record<ProbeGroup['id'], string>;

/** The suggested prompts added under what is already typed, each line once: nothing typed is lost. */
export function withSuggestion(texts: ProbeTexts, { prompts }: ProbeSuggestion): ProbeTexts {
  const merged = (id: ProbeGroup['id']) =>
    [...new Set([...promptLines(texts[id]), ...prompts[id]])].join('\n');
  return { reach: merged('reach'), related: merged('related'), unrelated: merged('unrelated') };
}
