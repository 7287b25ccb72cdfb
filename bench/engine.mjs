// `npm run bench:engine [-- --model NAME --tokens N --precision f32|q8|q4 --repeats R --out FILE
// --transformersjs 0]` (0: engine only):
// builds the app, runs the engine benchmark page (bench/pages/engine.ts) in headless Chromium and prints
// one JSON object with provenance (date, machine, command); --out also writes it to FILE (e.g.
// bench/results/). `node bench/engine.mjs --dist DIR ...` serves an existing build from DIR instead.
import { pageBenchmarkCli } from './browser.mjs';

await pageBenchmarkCli('engine.html', 'bench:engine', {
  model: 'editscope-facts',
  tokens: '32',
  precision: 'f32',
  repeats: '3',
  transformersjs: '1',
});
