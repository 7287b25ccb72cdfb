// `npm run bench:memoir [-- --backends cpu,webgpu --edits 20,3 --routing 10,1000,10000 --queries 200
// --out FILE]`: builds the app, runs the MEMOIR benchmark page (bench/pages/memoir.ts) in headless
// Chromium — time per edit (mean, p95) per backend through the app's worker, routing time per query
// with 10 / 1,000 / 10,000 stored edits, the memory edits take — and prints one JSON object with
// provenance. `node bench/memoir.mjs --dist DIR ...` serves an existing build from DIR instead.
import { pageBenchmarkCli } from './browser.mjs';

await pageBenchmarkCli('memoir.html', 'bench:memoir', {
  model: 'editscope-facts',
  backends: 'cpu,webgpu',
  edits: '20,3',
  routing: '10,1000,10000',
  queries: '200',
});
