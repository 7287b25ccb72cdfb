// Builds bench/data/unseen-phrasings.json: the benchmark's first 100 test records (the facts a T=100 run
// edits, with their targets) rewritten in a third set of phrasings, in neither the foundry's templates nor
// the calibration set, to REPORT how editors generalize to wording nobody tuned on. Not for choosing
// settings. Deterministic. Run: node tools/foundry/unseen-phrasings.mjs (card: bench/data/README.md)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { factTable, foundryTemplates, readJson, root, writeJson } from './phrasing-data.mjs';

const N_RECORDS = 100; // test split: the records a T=100 run edits (public/benchmarks/README.md)
const OUT = join(root, 'bench', 'data', 'unseen-phrasings.json');

// relation -> 4 clozes ending right before the answer ("{s}" the subject): the edit prompt, then the
// 3 rephrases. Fact locality prompts take the one at (their foundry template's index mod 4).
const UNSEEN = {
  capital: [
    'The national capital of {s} is the city of',
    'Foreign embassies in {s} are mostly found in',
    'The political centre of {s} is',
    'Tourists who want to see the capital of {s} travel to',
  ],
  continent: [
    '{s} is a country situated in',
    'The landmass on which {s} is found is called',
    'Atlases list {s} under',
    'A traveller flying to {s} is heading for',
  ],
  region: [
    'Within its continent, {s} counts as part of',
    'Experts on geography describe {s} as lying in',
    'The subregion that contains {s} is',
    'On a map of world regions, {s} is shaded as part of',
  ],
  language: [
    'Children in {s} grow up speaking',
    'Most books published in {s} are written in',
    'The language heard on the streets of {s} is',
    'Radio stations in {s} broadcast mostly in',
  ],
  currency: [
    'Wages in {s} are paid in',
    'The unit of money in {s} is the',
    'Tourists in {s} pay for their meals in',
    'Savings accounts in {s} are held in',
  ],
  symbol: [
    'The abbreviation for the element {s} is',
    'Chemists write {s} using the letters',
    'In a chemical equation, {s} is represented by',
    'The short form of {s} on the periodic table is',
  ],
  atomic_number: [
    'The element {s} has a proton count of',
    'Chemists list {s} as element number',
    'The count of protons in {s} is',
    'Its place in the periodic table gives {s} the number',
  ],
  state_capital: [
    'The capitol of {s} stands in',
    'The governor of {s} works in the city of',
    'State laws for {s} are passed in',
    'The official seat of the state of {s} is the city of',
  ],
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const table = factTable();
const templates = foundryTemplates();

/** A benchmark fact prompt's (relation, subject, template index), found by matching the foundry's
 *  templates and keeping the reading whose fact has `answer` (so "The capital of the U.S. state of Ohio
 *  is" reads as state_capital, not the capital of "the U.S. state of Ohio"). */
function readFactPrompt(prompt, answer) {
  for (const [relation, list] of Object.entries(templates)) {
    for (const [index, template] of list.entries()) {
      const head = escape(template.split(' {o}')[0]).replace('\\{s\\}', '(.+)');
      const subject = prompt.match(new RegExp(`^${head}$`))?.[1];
      if (subject !== undefined && table.get(relation).get(subject) === answer.trim()) {
        return { relation, subject, index };
      }
    }
  }
  throw new Error(`unseen-phrasings: "${prompt}" →${answer} matches no foundry template and fact`);
}

const fill = (relation, i, subject) => UNSEEN[relation][i % UNSEEN[relation].length].replace('{s}', subject);

function rewrite(record) {
  const { relation, subject } = record;
  const [prompt, ...rephrases] = UNSEEN[relation].map((t) => t.replace('{s}', subject));
  const locality = record.locality.map((l) => {
    if (l.kind !== 'fact') return l; // general text has no phrasing to rewrite
    const fact = readFactPrompt(l.prompt, l.answer);
    return { ...l, prompt: fill(fact.relation, fact.index, fact.subject) };
  });
  const neighborhood = record.neighborhood.map((n) => ({
    ...n,
    prompt: fill(relation, 0, readFactPrompt(n.prompt, n.answer).subject),
  }));
  const { id, target_true, target_new } = record;
  return { id, subject, relation, prompt, target_true, target_new, rephrases, locality, neighborhood };
}

const records = readJson(join(root, 'public', 'benchmarks', 'facts-edits.json'))
  .slice(0, N_RECORDS)
  .map(rewrite);
mkdirSync(join(root, 'bench', 'data'), { recursive: true });
await writeJson(OUT, records);
const prompts = records.reduce(
  (n, r) => n + 1 + r.rephrases.length + r.locality.length + r.neighborhood.length,
  0,
);
console.log(`unseen-phrasings: ${records.length} records, ${prompts} prompts -> ${OUT}`);
