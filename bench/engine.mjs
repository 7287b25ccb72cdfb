// `npm run bench:engine [-- --model NAME --tokens N --precision f32|q8|q4 --repeats R --out FILE
// --transformersjs 0]` (0: engine only):
// builds the app, runs the engine benchmark page (bench/pages/engine.ts) in headless Chromium and prints
// one JSON object with provenance (date, machine, command); --out also writes it to FILE (e.g.
// bench/results/). `node bench/engine.mjs --dist DIR ...` serves an existing build from DIR instead.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { provenance, runPageBenchmark } from './browser.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'editscope-facts' },
    tokens: { type: 'string', default: '32' },
    precision: { type: 'string', default: 'f32' },
    repeats: { type: 'string', default: '3' },
    transformersjs: { type: 'string', default: '1' },
    out: { type: 'string' },
    dist: { type: 'string', default: 'dist' },
    verbose: { type: 'boolean', default: false },
  },
});
const { model, tokens, precision, repeats, transformersjs } = values;
const query = new URLSearchParams({ model, tokens, precision, repeats, transformersjs }).toString();
const result = await runPageBenchmark(`/bench/pages/engine.html?${query}`, {
  dist: values.dist,
  log: values.verbose ? (line) => console.error(line) : () => {},
});
const args = process.argv.slice(2).join(' ');
const viaNpm = process.env.npm_lifecycle_event === 'bench:engine';
const command = (viaNpm ? `npm run bench:engine -- ${args}` : `node bench/engine.mjs ${args}`).trim();
const json = JSON.stringify({ ...result, ...(await provenance(command)) }, null, 2);
console.log(json);
if (values.out) writeFileSync(values.out, json + '\n');
