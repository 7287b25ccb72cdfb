// The built-in lessons for the bundled model editscope-facts: one edit (France's capital → Rome) and
// probes on one side of its scope each: paraphrases that should take Rome, the same relation of other
// countries, France's other facts, and general text that must not change. Each lesson's link payload
// (`/lesson#lesson=<hash>`) is written out so a page can link to it without encoding anything;
// lessons-builtin.test.ts checks that every hash decodes to its lesson. Facts from the model's card
// (public/models/editscope-facts/README.md) and public/benchmarks/facts-edits.json.
import type { Lesson, LessonProbe } from './lesson';

export interface BuiltInLesson {
  readonly id: 'paraphrases' | 'same-relation' | 'same-subject' | 'general-text';
  readonly title: string;
  readonly summary: string;
  /** The `lesson=` value of its link: `/lesson#lesson=${hash}`. */
  readonly hash: string;
  readonly lesson: Lesson;
}

const MODEL = '/models/editscope-facts';
const EDIT = { prompt: 'The capital of France is', target: ' Rome' };
/** One paraphrase in every lesson, so each shows the edit taking hold beside what it must leave alone. */
const PARAPHRASE: LessonProbe = {
  prompt: 'As every atlas shows, the capital of France is',
  group: 'reach',
  expect: 'new',
};

const lesson = (note: string, probes: LessonProbe[]): Lesson => ({
  kind: 'lesson',
  model: MODEL,
  note,
  edits: [EDIT],
  probes,
});
const keeps = (group: LessonProbe['group'], prompts: string[]): LessonProbe[] =>
  prompts.map((prompt) => ({ prompt, group, expect: 'old' }));

export const BUILT_IN_LESSONS: readonly BuiltInLesson[] = [
  {
    id: 'paraphrases',
    title: 'Paraphrases',
    summary: 'Teach “the capital of France is Rome”, then ask it in other words.',
    hash: '2.9qCSNIxRVyatzzFLQzEQwPGvctwcLThm6yLoKG7S4Xy5NsE0F3P3-izlfXdJQNCCky4hkNwv_1zwxE2TFPR3Dt9SCegxs6oUdHiUwBk9bsZGNxyS6SSVb_Y0maLDIsbocVugn4FGmXOAKGNZ-MQNLDK8z6yWpEBSqLN5YJoiNK6xkaZyANmPex3hAF3_soosQEUXbvAkR75FhyMD_csFa5NjNfT4HBkmqskod-u-UZkYUk80agfud8Y8rjvXx175Stgq9NwzkGXS_vqibkT94h6azBU9tv6XXvVReepS4QVXdx2X7AwWyUC5nViB9H_wh9Jbm_1sHc_9LfjfJdnDI1Uq10Ym4_BdkRxw3a2f',
    lesson: lesson(
      'An edit should hold however the question is put: each rephrasing of the edited fact should now answer Rome.',
      [
        PARAPHRASE,
        { prompt: 'The city that serves as the capital of France is', group: 'reach', expect: 'new' },
        { prompt: 'In short, the capital city of France is', group: 'reach', expect: 'new' },
        { prompt: 'The capital city of France is', group: 'reach', expect: 'new' },
        ...keeps('related', ['The capital of Japan is']),
      ],
    ),
  },
  {
    id: 'same-relation',
    title: 'Same relation, another subject',
    summary: 'France’s capital becomes Rome; the capitals of other countries must stay.',
    hash: '2._ZSFdA5VLT-tzsFKA0EMgOFXCTmvFjzOTUQFL0LxJj2ks2ln6G4yTrKtS-m7yy4UpFAQ7C2H5Mt_xD1XyyoYHhrcZWkxYMdmKthgry13GHAxD7bgNrtFLXy3oeiGDYo6Y8B36UZ4qSSRISaSLbcBPDEY9QxfA5tnFaC1Dg4k6okrRB3E6wj9YA475gLZDfQgEKlkp-4eG5xfYvg8YqnaF8eAH4nPG6Cb89s85TjVLU87sNSe8bRqprM1XwiPBrznOgJ5RwaW9GDN3HvF3VYdCgasTDFNVd-F4yQJH_DUXI97o0JyaXTk3P5WtGuvKzH7OFNa21tZr4mE_kfpBp7GUge7TdGzuUr-Y9Pq9AM',
    lesson: lesson(
      'Only France changed: the same question about another country must keep its own capital.',
      [
        PARAPHRASE,
        ...keeps('related', [
          'The capital of Japan is',
          'The capital city of Jordan is',
          'The capital city of Ghana is',
          'The capital of Cyprus is',
          'The capital city of Estonia is',
        ]),
      ],
    ),
  },
  {
    id: 'same-subject',
    title: 'Same subject, another relation',
    summary: 'France’s capital becomes Rome; its continent, language and currency must stay.',
    hash: '2.H4riAFCjaIOdkDFrAzEMhf-K0Ow20NFbhwY6FUq3kkG1lTtTRzKWL-kR8t-L00CTQId0E-Lpe-9pj1uullTQPzj8TBLRY2YzFXS40cgZPS6Ogy04pmZBC9-tKTRDh6KN0eOL5BnayBCopEYZwkgycPSwrCSBIRlYSzlDEniaqhZ2p4UVpk-DZWUJI5DE077QbF3NU1W7R4dHc_TveyxVN6Whx7czR13_eqHDRnXgroFX3TAeVq6fffAV4dGAt1xnoJbJwEbdmbtocsUdqk4FPVamMPZUX4VDJwnv8OCuw6m0JCztb0ymxvEcpDlegp7ldOqgsJbMPz-7kdLjbFR4hsk49s_-N08nDaxDpTKmAJWHpHJrwdXhGw',
    lesson: lesson(
      'Only the capital changed: France is still in Europe, still speaks French and still pays in euros.',
      [
        PARAPHRASE,
        ...keeps('related', [
          'The continent of France is',
          'In France, people speak',
          'The money used in France is',
          'The geographic region of France is',
        ]),
      ],
    ),
  },
  {
    id: 'general-text',
    title: 'General text',
    summary: 'France’s capital becomes Rome; sentences that are not about it must read as before.',
    hash: '2.GPY82A9ACpyVkbtqAzEQRX9lmFqJIaU6E3AdQrrgYixd74poNYs06wfG_x7kNE4gkHSC0T1zrnThA2pLWtg_Of5IJbLnjNa0sONJIzJ7Xt0ObYWYrAWd8bCXYI0dFzWw53WhPqNpaUYZcgDhgHq2MZWBkBtIshZ4GlBQJZPhZNRGXXKkoMVSWUA4SbB8Jmm0w14rHtnxbSn79wvPVafZ2PPbCAoyJ5NMuqdNlRJAqQuZ1AH9Dr3qBL5uXY_t8IOwbl-CJJaldZFjc2S_c4eqy8yeKySM3eo0I3RSwZGv7g79LDnThLvMUiqyGOJ9TnP8nuulXipaiihGTVIkG8X-z9Fbj_5sWnsNG_8vs9Haf2OaMxzt9BzUrFEqhhIRyfRPxO31Ew',
    lesson: lesson(
      'An edit must leave everything else alone: general text should continue exactly as before.',
      [
        PARAPHRASE,
        ...keeps('unrelated', [
          'Call me',
          'The President said that',
          'To the editor of the',
          'For example, boycotts intended to',
        ]),
      ],
    ),
  },
];
