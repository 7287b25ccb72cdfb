// CounterFact as ROME publishes it (counterfact.json, read by dsets/counterfact.py and scored by
// experiments/py/eval_utils_counterfact.py). Followed: ROME's dsets/counterfact.py and its evaluation.
//   { case_id, requested_rewrite: { prompt: "The mother tongue of {} is", subject, relation_id,
//     target_new: { str }, target_true: { str } }, paraphrase_prompts: [..], neighborhood_prompts: [..],
//     attribute_prompts: [..], generation_prompts: [..] }
import type { EditFileFormat } from './format';
import { Fields, spaced } from './fields';

export const romeCounterfact: EditFileFormat = {
  name: 'rome-counterfact',
  label: 'ROME CounterFact',
  idField: 'case_id',
  matches: (raw) => 'requested_rewrite' in raw,
  read(raw, _index, at) {
    const f = new Fields(raw, at);
    const template = f.text('requested_rewrite.prompt');
    const subject = f.text('requested_rewrite.subject');
    if (template !== '' && !template.includes('{}')) {
      f.problems.push(
        `${at}.requested_rewrite.prompt: must hold "{}" where the subject goes, got "${template}"`,
      );
    }
    const caseId = raw.case_id;
    if (typeof caseId !== 'number' && (typeof caseId !== 'string' || caseId === '')) {
      f.problems.push(`${at}.case_id: must be a number or a non-empty string, got ${typeof caseId}`);
    }
    const targetTrue = spaced(f.text('requested_rewrite.target_true.str'));
    const relation = f.get('requested_rewrite.relation_id');
    const record = {
      id: String(caseId),
      subject,
      ...(typeof relation === 'string' && relation !== '' ? { relation } : {}),
      prompt: template.replace('{}', subject),
      target_new: spaced(f.text('requested_rewrite.target_new.str')),
      target_true: targetTrue,
      rephrases: f.texts('paraphrase_prompts', true),
      // ROME scores neighborhood prompts by whether they still prefer target_true: their answer here.
      // CounterFact has no unrelated-text prompts, so there is no Loc.
      locality: [],
      neighborhood: f.texts('neighborhood_prompts', true).map((prompt) => ({ prompt, answer: targetTrue })),
    };
    return f.problems.length > 0 ? { problems: f.problems } : { record };
  },
  unmeasured: (raw) =>
    Array.isArray(raw.attribute_prompts) && raw.attribute_prompts.length > 0
      ? '`attribute_prompts`, `generation_prompts` (no essence or generation metric in this runner)'
      : null,
};
