// `npm run bench:engine [-- --model NAME --tokens N --precision f32|q8|q4 --repeats R]`: runs the
// engine benchmark page in headless Chromium and prints one JSON object (with provenance).
import { parseArgs } from 'node:util';
import { provenance, runPageBenchmark } from './browser.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'editscope-facts' },
    tokens: { type: 'string', default: '32' },
    precision: { type: 'string', default: 'f32' },
    repeats: { type: 'string', default: '3' },
    verbose: { type: 'boolean', default: false },
  },
});
const query = new URLSearchParams({ ...values, verbose: undefined }).toString().replace(/&?verbose=undefined/, '');
const result = await runPageBenchmark(`/bench/pages/engine.html?${query}`, {
  log: values.verbose ? (line) => console.error(line) : () => {},
});
console.log(JSON.stringify({ ...result, ...(await provenance(`npm run bench:engine -- ${process.argv.slice(2).join(' ')}`)) }, null, 2));
