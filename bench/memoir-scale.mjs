// `npm run bench:memoir-scale [-- --edits 10,1000,10000 --queries 200 --out FILE]`: builds the app, then
// per count N, in a fresh on-disk Chromium profile: seeds N stored MEMOIR edits of the bundled model
// (bench/pages/memoir-scale.ts: the store's record format; times the store's read and checks, and
// routing over N masks), opens the Edit view on the CPU backend, shows 100 more rows, and types a search
// that matches one edit. Reports the main thread's long tasks (PerformanceObserver 'longtask': count,
// longest, total) during open / list / search, when the list showed, and routing per query; prints one
// JSON object with provenance. `node bench/memoir-scale.mjs --dist DIR ...` serves an existing build.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, provenance, waitForServer } from './browser.mjs';

const { values } = parseArgs({
  options: {
    edits: { type: 'string', default: '10,1000,10000' },
    queries: { type: 'string', default: '200' },
    dist: { type: 'string', default: 'dist' },
    out: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const port = 4174;
const origin = `http://127.0.0.1:${port}`;
const log = values.verbose ? (line) => console.error(line) : () => {};
/** How long the page is watched for long tasks after each step is seen done (React may still commit). */
const SETTLE_MS = 500;

// Runs in the page before its scripts: every long task of the main thread, as [start, duration] in ms.
function observeLongTasks() {
  globalThis.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) globalThis.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
}

const round = (x) => +x.toFixed(1);

/** The long tasks that began in [from, to) (page milliseconds). */
function summarise(tasks, from, to) {
  const inside = tasks.filter(([start]) => start >= from && start < to).map(([, d]) => d);
  return {
    count: inside.length,
    longestMillis: round(Math.max(0, ...inside)),
    totalMillis: round(inside.reduce((a, b) => a + b, 0)),
  };
}

/** Waits until `predicate` holds in the page (checked every frame) and returns the page time it did. */
async function pageTimeWhen(page, predicate, arg) {
  const handle = await page.waitForFunction(predicate, arg, { polling: 'raf', timeout: 30 * 60_000 });
  return handle.jsonValue();
}

const settle = (page) => page.waitForTimeout(SETTLE_MS);
const now = (page) => page.evaluate(() => performance.now());

async function runOne(count) {
  const profile = mkdtempSync(join(tmpdir(), 'editscope-scale-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    await context.addInitScript(observeLongTasks);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => log(`[page] ${message.text()}`));
    page.on('pageerror', (error) => log(`[page error] ${error.message}`));
    await page.goto(`${origin}/bench/pages/memoir-scale.html?edits=${count}&queries=${values.queries}`);
    await page.waitForFunction(() => '__benchResult' in globalThis, null, {
      timeout: 30 * 60_000,
      polling: 500,
    });
    const seeded = await page.evaluate(() => globalThis.__benchResult);
    if (seeded.error) throw new Error(`seeding ${count} edits failed: ${seeded.error}`);
    log(`seeded ${count}: ${JSON.stringify(seeded)}`);

    // Open: from navigation until the count line of the stored edits shows.
    await page.goto(`${origin}/edit?backend=cpu&sw=off`);
    const listShown = await pageTimeWhen(page, () =>
      globalThis.document.querySelector('[data-testid="edit-count"]') ? performance.now() : false,
    );
    await settle(page);
    const rows = () => page.locator('[data-testid="edit-list"] tbody tr').count();
    const rowsAtOpen = await rows();

    // List: show the next page of rows (when there is one).
    const listFrom = await now(page);
    let listDone = listFrom;
    const more = page.getByRole('button', { name: /^Show \d+ more$/ });
    if (await more.isVisible()) {
      await more.click();
      listDone = await pageTimeWhen(
        page,
        (n) =>
          globalThis.document.querySelectorAll('[data-testid="edit-list"] tbody tr').length > n
            ? performance.now()
            : false,
        rowsAtOpen,
      );
    }
    await settle(page);
    const rowsAfterMore = await rows();

    // Search: type the number of one seeded edit, key by key, until the count says one matches.
    const needle = `seedland-${String(count - 3).padStart(5, '0')}`;
    const searchFrom = await now(page);
    await page.getByRole('searchbox', { name: 'Search edits' }).pressSequentially(needle, { delay: 30 });
    const searchDone = await pageTimeWhen(page, () =>
      globalThis.document.querySelector('[data-testid="edit-count"]')?.textContent?.endsWith(', 1 matches')
        ? performance.now()
        : false,
    );
    await settle(page);
    const searchEnd = await now(page);
    const tasks = await page.evaluate(() => globalThis.__longTasks);
    return {
      edits: count,
      seeded,
      app: {
        listShownMillis: round(listShown),
        rowsAtOpen,
        rowsAfterMore,
        showMoreMillis: round(listDone - listFrom),
        search: { typed: needle, untilOneMatchMillis: round(searchDone - searchFrom) },
        longTasks: {
          open: summarise(tasks, 0, listShown + SETTLE_MS),
          list: summarise(tasks, listFrom, listDone + SETTLE_MS),
          search: summarise(tasks, searchFrom, searchEnd),
        },
      },
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const server = spawn(
  'npx',
  ['vite', 'preview', '--outDir', values.dist, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
  { stdio: 'ignore', detached: true },
);
try {
  await waitForServer(`${origin}/`, 60_000);
  const runs = [];
  for (const count of values.edits.split(',').map(Number)) runs.push(await runOne(count));
  const args = process.argv.slice(2).join(' ');
  const viaNpm = process.env.npm_lifecycle_event === 'bench:memoir-scale';
  const command = (
    viaNpm ? `npm run bench:memoir-scale -- ${args}` : `node bench/memoir-scale.mjs ${args}`
  ).trim();
  const json = JSON.stringify(
    {
      benchmark: 'memoir-scale',
      model: 'editscope-facts',
      backend: 'cpu',
      runs,
      ...(await provenance(command)),
    },
    null,
    2,
  );
  console.log(json);
  if (values.out) writeFileSync(values.out, json + '\n');
} finally {
  process.kill(-server.pid);
}
