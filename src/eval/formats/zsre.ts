// ZsRE edit records as EasyEdit publishes them (data/zsre/zsre_mend_eval.json, read by
// easyeditor/dataset/zsre.py ZsreDataset) and as MEMOIR's experiments reuse them (same file and fields,
// plus an optional `portability`). Followed: EasyEdit's ZsreDataset. Not the export (edit-list export).
//   { subject, src, alt, answers: [..], rephrase, loc: "nq question: …", loc_ans, pred?, cond?, portability? }
import type { PromptAnswer } from '../records';
import type { EditFileFormat } from './format';
import { Fields, spaced } from './fields';

export const zsre: EditFileFormat = {
  name: 'zsre',
  label: 'EasyEdit / MEMOIR ZsRE',
  // The file has no ids; ZsreDataset numbers records by their index (case_id = i), and so do we.
  idField: null,
  matches: (raw) => 'src' in raw && 'alt' in raw,
  read(raw, index, at) {
    const f = new Fields(raw, at);
    // ZsreDataset drops records whose alt is empty; here they are skipped with that reason.
    if (raw.alt === '') return { problems: [`${at}.alt: is empty (EasyEdit's ZsreDataset drops these too)`] };
    const answers = f.texts('answers');
    if (Array.isArray(raw.answers) && raw.answers.length === 0) {
      f.problems.push(`${at}.answers: must hold the true answer, got an empty array`);
    }
    // `loc` keeps its "nq question: " prefix: EasyEdit evaluates `loc + ' ' + loc_ans` as it is. Its
    // unrelated Natural Questions are Loc prompts of their own kind, "nq". Absent loc = no Loc prompt.
    const locality: PromptAnswer[] =
      raw.loc === undefined && raw.loc_ans === undefined
        ? []
        : [{ prompt: f.text('loc'), answer: spaced(f.text('loc_ans')), kind: 'nq' }];
    const record = {
      id: `zsre-${index}`,
      subject: f.text('subject'),
      prompt: f.text('src'),
      target_new: spaced(f.text('alt')),
      // ZsreDataset's ground_truth is answers[0].
      target_true: spaced(answers[0] ?? ''),
      rephrases: f.texts('rephrase', true),
      locality,
    };
    return f.problems.length > 0 ? { problems: f.problems } : { record };
  },
  unmeasured: (raw) =>
    raw.portability === undefined ? null : '`portability` (no portability metric in this runner)',
};
