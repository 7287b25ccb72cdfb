// Shared by the benchmark scripts: serve the production build with `vite preview` on 127.0.0.1,
// open a page of it in Debian's Chromium (WebGPU on SwiftShader here, the real GPU elsewhere) and
// wait for the page to publish its result as `window.__benchResult`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-webgpu-developer-features', // full-resolution timestamp queries (else 100 µs steps)
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function waitForServer(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`bench: preview server at ${url} did not start within ${timeoutMs} ms`);
}

/** Runs `path` (e.g. "/bench.html?suite=engine") and returns the JSON the page published. */
export async function runPageBenchmark(
  path,
  { port = 4174, dist = 'dist', timeoutMs = 20 * 60_000, log = () => {} } = {},
) {
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', dist, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  const browser = await chromium
    .launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
      args: CHROMIUM_ARGS,
    })
    .catch((error) => {
      process.kill(-server.pid);
      throw error;
    });
  try {
    const origin = `http://127.0.0.1:${port}`;
    await waitForServer(`${origin}/`, 60_000);
    const page = await browser.newPage();
    page.on('console', (message) => log(`[page] ${message.text()}`));
    page.on('pageerror', (error) => log(`[page error] ${error.message}`));
    await page.goto(origin + path);
    await page.waitForFunction(() => '__benchResult' in globalThis, null, {
      timeout: timeoutMs,
      polling: 500,
    });
    const result = await page.evaluate(() => globalThis.__benchResult);
    if (result && result.error) throw new Error(`bench page failed: ${result.error}`);
    return result;
  } finally {
    await browser.close();
    process.kill(-server.pid);
  }
}

/** Date, machine and command, stored beside every result that is quoted. */
export async function provenance(command) {
  const os = await import('node:os');
  return {
    date: new Date().toISOString(),
    machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}`,
    command,
  };
}

/** The command line of a page benchmark: `--name value` options become the page's query (defaults
 *  given), plus --out FILE (also write the JSON there), --dist DIR (serve that build), --verbose (page
 *  console to stderr). Prints the page's JSON with provenance. */
export async function pageBenchmarkCli(page, npmScript, defaults) {
  const { values } = parseArgs({
    options: {
      ...Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, { type: 'string', default: v }])),
      out: { type: 'string' },
      dist: { type: 'string', default: 'dist' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const query = new URLSearchParams(Object.fromEntries(Object.keys(defaults).map((k) => [k, values[k]])));
  const result = await runPageBenchmark(`/bench/pages/${page}?${query}`, {
    dist: values.dist,
    log: values.verbose ? (line) => console.error(line) : () => {},
  });
  const args = process.argv.slice(2).join(' ');
  const viaNpm = process.env.npm_lifecycle_event === npmScript;
  const script = process.argv[1].slice(process.argv[1].indexOf('bench/'));
  const command = (viaNpm ? `npm run ${npmScript} -- ${args}` : `node ${script} ${args}`).trim();
  const json = JSON.stringify({ ...result, ...(await provenance(command)) }, null, 2);
  console.log(json);
  if (values.out) writeFileSync(values.out, json + '\n');
}
