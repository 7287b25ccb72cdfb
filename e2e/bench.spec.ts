// The engine benchmark page runs end to end in a small setting (4 new tokens, 1 repeat) and publishes
// every field as a finite positive number. Never a speed threshold: SwiftShader timings say nothing
// about a real GPU. The full run is `npm run bench:engine` (bench/engine.mjs).
import { expect, test } from '@playwright/test';
import { openEditView } from './edit';

test('engine benchmark page reports every number', async ({ page }) => {
  test.setTimeout(300_000);
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto('/bench/pages/engine.html?tokens=4&repeats=1');
  await page.waitForFunction(() => '__benchResult' in window, null, { timeout: 280_000, polling: 500 });
  const result = (await page.evaluate(() => window.__benchResult)) as Record<string, unknown>;
  expect(result.error, String(result.error)).toBeUndefined();
  console.log(`bench (small setting, not a measurement): ${JSON.stringify(result)}`);

  const positive = (path: string) => {
    const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], result);
    expect(typeof value === 'number' && Number.isFinite(value) && value > 0, `${path} = ${value}`).toBe(true);
  };
  for (const field of ['promptTokens', 'newTokens', 'decodeRatio', 'prefillRatio']) positive(field);
  for (const runtime of ['engine', 'transformersJs']) {
    for (const field of [
      'prefillTokensPerSecond',
      'decodeTokensPerSecond',
      'firstTokenMillis',
      'weightBytes',
    ]) {
      positive(`${runtime}.${field}`);
    }
  }
  for (const field of ['dispatchesPerToken', 'submitsPerToken']) positive(`engine.${field}`);
  // SwiftShader offers 'timestamp-query', so the breakdown is there; its kernels sum to the GPU time.
  const breakdown = result.engineDecodeBreakdown as {
    gpuMsPerToken: number;
    kernels: Record<string, { msPerToken: number; dispatchesPerToken: number }>;
  };
  positive('engineDecodeBreakdown.wallMsPerToken');
  positive('engineDecodeBreakdown.gpuMsPerToken');
  const kernels = Object.values(breakdown.kernels);
  expect(kernels.map((k) => k.dispatchesPerToken).every((n) => n > 0)).toBe(true);
  const sum = kernels.reduce((s, k) => s + k.msPerToken, 0);
  expect(Math.abs(sum - breakdown.gpuMsPerToken)).toBeLessThan(1e-6 * Math.max(1, sum));
});

test('MEMOIR benchmark page trains, times and deletes an edit through the app worker', async ({ page }) => {
  test.setTimeout(300_000);
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto('/bench/pages/memoir.html?backends=cpu&edits=1&routing=10,100&queries=20');
  await page.waitForFunction(() => '__benchResult' in window, null, { timeout: 280_000, polling: 500 });
  const result = (await page.evaluate(() => window.__benchResult)) as {
    error?: string;
    edits: {
      backend: string;
      edits: number;
      editMillis: { mean: number; p95: number };
      stepsPerEdit: { mean: number };
      memory: {
        wmBytes: number;
        bytesPerEdit: { mean: number };
        deltas: { f16: number; f32: number };
        indexedDbGrowthBytes: number | null;
      };
    }[];
    hubRecordBytes: { model: string; paperK: { k: number; f16: number; f32: number } }[];
    routing: { bundled: { E: number; queryMillis: { p50: number } }[]; paperScale: { E: number }[] };
  };
  expect(result.error, String(result.error)).toBeUndefined();
  console.log(`memoir bench (small setting, not a measurement): ${JSON.stringify(result.edits)}`);
  const [cpu] = result.edits;
  expect(cpu).toMatchObject({ backend: 'cpu', edits: 1 });
  expect(cpu.editMillis.mean).toBeGreaterThan(0);
  expect(cpu.stepsPerEdit.mean).toBeGreaterThanOrEqual(1);
  // The bundled model: C = 128, H = 2048, k = 256 → Wm 1 MiB, an edit's mask + f16 delta 65 KiB.
  expect(cpu.memory).toMatchObject({
    wmBytes: 128 * 2048 * 4,
    bytesPerEdit: { mean: 256 * 4 + 128 * 256 * 2 },
    deltas: { f16: 1, f32: 0 },
  });
  // SmolLM2-135M (C 576, H 1536) at the paper's k (439): about 0.5 MB an edit in f16, 1 MB in f32.
  expect(result.hubRecordBytes[0]).toMatchObject({
    model: 'HuggingFaceTB/SmolLM2-135M',
    paperK: { k: 439, f16: 439 * 4 + 576 * 439 * 2, f32: 439 * 4 + 576 * 439 * 4 },
  });
  expect(cpu.memory.indexedDbGrowthBytes).toBeGreaterThan(0);
  expect(result.routing.bundled.map((r) => r.E)).toEqual([10, 100]);
  expect(result.routing.paperScale.map((r) => r.E)).toEqual([10, 100]);
  // The page deletes its edits: the app opened afterwards in this profile finds an empty memory.
  await openEditView(page);
  await expect(page.getByText('No edits yet')).toBeVisible();
});
