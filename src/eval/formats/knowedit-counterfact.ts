// CounterFact edit records as EasyEdit / KnowEdit publish them (data/counterfact/counterfact-edit.json,
// -train, -eval; their examples pass locality_prompt / locality_ground_truth as the locality named
// "neighborhood"). Followed: EasyEdit's examples/run_*.py readers of counterfact-edit.json.
//   { subject, prompt, target_new, ground_truth, rephrase_prompt, locality_prompt, locality_ground_truth }
import type { EditFileFormat } from './format';
import { Fields, spaced } from './fields';

export const knoweditCounterfact: EditFileFormat = {
  name: 'knowedit-counterfact',
  label: 'KnowEdit / EasyEdit CounterFact',
  idField: null,
  matches: (raw) => 'prompt' in raw && 'target_new' in raw && 'ground_truth' in raw,
  read(raw, index, at) {
    const f = new Fields(raw, at);
    // Its locality prompt is one of ROME's CounterFact neighborhood prompts (same relation, another
    // subject, answered with that subject's true object), so it is this project's Neighborhood, not Loc.
    const neighborhood =
      raw.locality_prompt === undefined && raw.locality_ground_truth === undefined
        ? []
        : [{ prompt: f.text('locality_prompt'), answer: spaced(f.text('locality_ground_truth')) }];
    const record = {
      id: `counterfact-${index}`,
      subject: f.text('subject'),
      prompt: f.text('prompt'),
      target_new: spaced(f.text('target_new')),
      target_true: spaced(f.text('ground_truth')),
      // KnowEdit's own wiki_counterfact files name the paraphrase `rephrase`.
      rephrases: f.texts(raw.rephrase_prompt === undefined ? 'rephrase' : 'rephrase_prompt', true),
      locality: [],
      neighborhood,
    };
    return f.problems.length > 0 ? { problems: f.problems } : { record };
  },
  unmeasured(raw) {
    const other = ['portability', 'locality'].filter((k) => raw[k] !== undefined);
    return other.length === 0 ? null : other.map((k) => `\`${k}\``).join(', ');
  },
};
