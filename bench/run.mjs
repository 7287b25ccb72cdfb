// `npm run bench`: builds the app once, runs every benchmark script in turn and prints one JSON object
// keyed by benchmark name. Each script also runs alone (see README); their logs go to stderr.
import { execFileSync } from 'node:child_process';

const benchmarks = [
  { name: 'engine', command: ['node', 'bench/engine.mjs'] },
  { name: 'memoir', command: ['node', 'bench/memoir.mjs'] },
  { name: 'memoirRouter', command: ['npx', 'tsx', 'bench/memoir-router.ts'] },
  { name: 'memoirOverlap', command: ['npx', 'tsx', 'bench/memoir-overlap.ts'] },
  { name: 'cpuMatmul', command: ['npx', 'tsx', 'bench/cpu-matmul.ts'] },
];

execFileSync('npx', ['vite', 'build'], { stdio: ['ignore', process.stderr, process.stderr] });
const results = {};
for (const { name, command } of benchmarks) {
  console.error(`bench: running ${name} (${command.join(' ')})`);
  const stdout = execFileSync(command[0], command.slice(1), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', process.stderr],
    maxBuffer: 64 * 1024 * 1024,
  });
  results[name] = JSON.parse(stdout);
}
console.log(JSON.stringify(results, null, 2));
