// One model, four runtimes, same logits: in one page (bench/pages/parity.html), Editscope's engine on
// WebGPU and on CPU and onnxruntime-web (wasm EP, the model's ONNX export) run the foundry's golden
// prompts; every position's f32 logits must lie within 1e-3 of PyTorch's (tests/fixtures/
// golden-logits.json) and of each other. Prints the measured max abs diffs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ParityLogits } from '../bench/pages/parity';

interface Golden {
  model: string;
  cases: { prompt: string; input_ids: number[]; logits: number[][] }[];
}

const golden: Golden = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'tests', 'fixtures', 'golden-logits.json'), 'utf8'),
);
const ATOL = 1e-3;

test('engine (webgpu, cpu), onnxruntime-web and torch agree on the golden logits', async ({ page }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto('/bench/pages/parity.html');
  await expect(page.locator('#out')).toContainText('ready');
  const cases = golden.cases.map((c) => c.input_ids);
  const got: ParityLogits = await page.evaluate(([model, ids]) => window.__parity!(model, ids), [
    golden.model,
    cases,
  ] as const);
  const runs: Record<string, number[][]> = {
    torch: golden.cases.map((c) => c.logits.flat()),
    'engine webgpu': got.engineWebgpu,
    'engine cpu': got.engineCpu,
    'onnxruntime-web': got.onnxruntimeWeb,
  };
  const names = Object.keys(runs);
  const pairs: { pair: string; max: number }[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const max = Math.max(...cases.map((_, k) => maxAbsDiff(runs[names[i]][k], runs[names[j]][k])));
      pairs.push({ pair: `${names[i]} vs ${names[j]}`, max });
    }
  }
  console.log(
    [
      `parity on ${golden.model} (${cases.length} prompts, every position), adapter "${got.adapter}":`,
      ...pairs.map(({ pair, max }) => `  ${pair}: max abs logit diff ${max.toExponential(2)}`),
    ].join('\n'),
  );
  for (const { pair, max } of pairs) expect(max, pair).toBeLessThanOrEqual(ATOL);
});

/** Max |a - b|; NaN (never <= ATOL) when lengths differ or an element is NaN. */
function maxAbsDiff(a: number[], b: number[]): number {
  if (a.length !== b.length) return NaN;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
