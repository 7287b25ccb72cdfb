// Builds public/calibration/calibration-set.json, the model-agnostic calibration set (card:
// public/calibration/README.md): real facts from the foundry's npm data, each in an edit cloze and four
// paraphrases written here (none of them a foundry or benchmark template), plus general-text prompts.
// Deterministic: no randomness, the same packages give the same file. Run: node tools/foundry/calibration-set.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpus } from './extract.mjs';
import { factTable, readJson, root, writeJson } from './phrasing-data.mjs';

const SET_ID = 'editscope-calibration-v1';
const OUT = join(root, 'public', 'calibration', 'calibration-set.json');

// relation -> phrasings; "{s}" is the subject, "{c}" a short unrelated context sentence. Every one but
// the question is a cloze ending right before the answer. Kinds, in order: the edit prompt, a question,
// a statement in other words, a cloze after a context sentence, a cloze with the subject late.
const PHRASINGS = {
  capital: [
    '{s} has its capital in',
    'What is the capital of {s}?',
    'The city from which {s} is governed is',
    '{c} Anyone who visits {s} will find its government in',
    'Asked to name the capital of {s}, most people would say',
  ],
  continent: [
    'The continent that {s} is part of is',
    'Which continent is {s} in?',
    '{s} is one of the countries of',
    '{c} Geographers place {s} in',
    'In an atlas, you would look for {s} on the map of',
  ],
  region: [
    '{s} falls within the part of the world known as',
    'Which region of the world is {s} part of?',
    'Geographers group {s} with its neighbours in',
    '{c} The area of the globe that includes {s} is called',
    'Maps that divide the world into subregions put {s} in',
  ],
  language: [
    'The government of {s} conducts its business in',
    'What language do people speak in {s}?',
    'Newspapers in {s} are mostly printed in',
    '{c} A visitor to {s} would hear people speaking',
    'The language you would need to read the road signs in {s} is',
  ],
  currency: [
    'Shops in {s} take payment in',
    'What currency is used in {s}?',
    'The banknotes of {s} are denominated in',
    '{c} Before a trip to {s}, travellers exchange their money for',
    'Prices on a market stall in {s} are given in',
  ],
  symbol: [
    'In chemical formulas, {s} appears as',
    'What is the chemical symbol for {s}?',
    'The letters that stand for {s} in a chemical formula are',
    '{c} The box of {s} on the periodic table shows the letters',
    'A chemist writing a formula that contains {s} uses the symbol',
  ],
  atomic_number: [
    '{s} sits on the periodic table at position',
    'What is the atomic number of {s}?',
    'Every atom of {s} contains a number of protons equal to',
    '{c} Counting the elements in order, {s} is number',
    'In the ordering of the elements by proton count, {s} comes at number',
  ],
  state_capital: [
    'The state government of {s} meets in',
    'What is the capital of the state of {s}?',
    'Lawmakers of {s} gather at the statehouse in',
    '{c} The governor of {s} has an office in',
    'Anyone driving to the capitol building of {s} heads for',
  ],
};

// Short sentences that state no fact, placed before the context cloze: in turn over a relation's
// subjects, shifted by one per relation, so a subject's facts of different relations never share one
// (a shared sentence would make them look alike to mean pooling for a reason that is no fact).
const CONTEXTS = [
  'The weather was mild for most of the week.',
  'She closed the book and looked out of the window.',
  'Our train left the station a few minutes late.',
  'The meeting ran on longer than anyone expected.',
  'He had never seen so many birds in one place.',
  'The kitchen smelled of fresh bread.',
  'A small crowd gathered outside the old theatre.',
  'The children spent the afternoon by the river.',
  'It had rained all night, and the roads were wet.',
  'The letter arrived a day after it was sent.',
  'Nobody in the office remembered whose birthday it was.',
  'The garden needed more water than usual that summer.',
];

const COUNTRY_RELATIONS = ['capital', 'continent', 'region', 'language', 'currency'];
const CONTINENTS = ['Africa', 'Asia', 'Europe', 'North America', 'Oceania', 'South America'];
const PER_CONTINENT = 2;
// Country names English uses with "the", which the phrasings above do not provide.
const TAKES_ARTICLE =
  /^(United |Philippines|Netherlands|Bahamas|Gambia|Maldives|Czech|Dominican|Central African)/;
// Well-known elements spread over the table, and states from every part of the US, chosen by hand: an
// LM trained on web text knows their answers, so a trial edit changes something it knew.
const ELEMENTS = [
  'Hydrogen',
  'Helium',
  'Carbon',
  'Oxygen',
  'Sodium',
  'Potassium',
  'Iron',
  'Copper',
  'Silver',
  'Gold',
  'Mercury',
  'Lead',
];
const STATES = [
  'Alaska',
  'California',
  'Florida',
  'Georgia',
  'Illinois',
  'Kentucky',
  'Nevada',
  'New York',
  'Ohio',
  'Pennsylvania',
  'Texas',
  'Washington',
];

const TEXT_SOURCES = ['brown', 'mobyDick', 'sotu']; // running prose; WordNet glosses are definitions
const TEXT_PER_SOURCE = 20;
const HELD_OUT_EVERY = 50; // py/corpus.py holds out every 50th sentence: the benchmark's text comes from those

/** The two most populous countries of each continent (country-json populations) that every country
 *  table has and whose name takes no article. */
function countries(table) {
  const population = new Map(
    readJson(join(root, 'node_modules/country-json/src/country-by-population.json')).map((r) => [
      r.country,
      r.population,
    ]),
  );
  const known = [...table.get('capital').keys()].filter(
    (c) => COUNTRY_RELATIONS.every((r) => table.get(r).has(c)) && population.has(c) && !TAKES_ARTICLE.test(c),
  );
  return CONTINENTS.flatMap((continent) => {
    const of = known.filter((c) => table.get('continent').get(c) === continent);
    if (of.length < PER_CONTINENT)
      throw new Error(`calibration-set: only ${of.length} countries in ${continent}`);
    return of.sort((a, b) => population.get(b) - population.get(a)).slice(0, PER_CONTINENT);
  });
}

function buildFacts(table) {
  const groups = [
    ...COUNTRY_RELATIONS.map((r) => [r, countries(table)]),
    ['symbol', ELEMENTS],
    ['atomic_number', ELEMENTS],
    ['state_capital', STATES],
  ];
  return groups.flatMap(([relation, subjects], r) =>
    subjects.map((subject, i) => {
      const answer = table.get(relation).get(subject);
      if (answer === undefined) throw new Error(`calibration-set: no ${relation} for ${subject} in the data`);
      const fill = (t) => t.replace('{s}', subject).replace('{c}', CONTEXTS[(i + r) % CONTEXTS.length]);
      const [prompt, ...paraphrases] = PHRASINGS[relation].map(fill);
      return { id: `${relation}/${subject}`, relation, subject, answer, prompt, paraphrases };
    }),
  );
}

/** General text: the opening 6-10 words of prose sentences that the foundry trained on (never a held-out
 *  one, so never a benchmark text-locality or background window), evenly spaced through each source.
 *  Sentences with digits, quotes, a capitalised word after the first (names, places, headings: the
 *  stuff facts are about) or a subject or answer of the set are skipped. */
function generalText(factList) {
  const names = new Set(factList.flatMap((f) => [f.subject, f.answer]));
  const sources = corpus();
  return TEXT_SOURCES.flatMap((src) => {
    const pool = sources[src].filter((s, i) => {
      const words = s.split(' ').length;
      const capitalised = s
        .split(' ')
        .slice(1)
        .some((w) => /^[A-Z]/.test(w) && !/^I\b/.test(w));
      const named = [...names].some((n) => s.includes(n));
      const plain = !/[\d"()]/.test(s) && !capitalised && !named;
      return i % HELD_OUT_EVERY !== 0 && words >= 12 && words <= 30 && plain;
    });
    return Array.from({ length: TEXT_PER_SOURCE }, (_, j) => {
      const words = pool[Math.floor(((j + 0.5) * pool.length) / TEXT_PER_SOURCE)].split(' ');
      return words
        .slice(0, 6 + (j % 5))
        .join(' ')
        .replace(/[,;:]$/, '');
    });
  });
}

const factList = buildFacts(factTable());
const set = { id: SET_ID, facts: factList, text: generalText(factList) };
mkdirSync(join(root, 'public', 'calibration'), { recursive: true });
await writeJson(OUT, set);
const relations = new Set(factList.map((f) => f.relation)).size;
const subjects = new Set(factList.map((f) => f.subject)).size;
const phrasings = factList.reduce((n, f) => n + 1 + f.paraphrases.length, 0);
console.log(
  `calibration-set: ${factList.length} facts (${relations} relations, ${subjects} subjects, ${phrasings} phrasings), ` +
    `${set.text.length} general-text prompts -> ${OUT}`,
);
