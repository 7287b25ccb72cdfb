// MEMOIR calibration as a new user meets it (#19 "done when"), without internet: the bundled
// editscope-facts weights served by the stand-in hub under another repo name, so the app knows no
// calibration for them. The Edit view says the model was never calibrated; the first edit calibrates it
// (progress shown before training), then the figure, the table and the chosen τ show; a paraphrase takes
// the edit and an unrelated prompt keeps its answer (Probe's Base vs MEMOIR); the paper preset is one
// click away and back; a calibration cancelled part way stores nothing. CPU backend: training and
// calibrating on SwiftShader take minutes.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { probeBaseVsMemoir } from './probe';
import { serveHub } from './tiny-hub';

const REPO = 'someone/facts-copy';
const FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];

/** Loads REPO in the Models view; its weights come from the network the first time, then the cache. */
async function loadHubModel(page: Page, from: 'network' | 'cache') {
  await page.getByRole('link', { name: 'Models' }).click();
  await page.getByRole('combobox', { name: 'Hub repo id' }).fill(REPO);
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('model-card').getByRole('row', { name: /Files/ })).toContainText(
    new RegExp(`model\\.safetensors [\\d.]+ MB from ${from}`),
    { timeout: 120_000 },
  );
  await expect(page.getByTestId('model-card')).toContainText(REPO);
}

/** Whether two presets as the view describes them ("layer 2, k = 128 of 2048 (mean pooling, center),
 *  τ = 0.83. Use …") differ in τ at most. */
function sameLayerAndK(a: string, b: string): boolean {
  const training = (s: string) => s.split(', τ')[0];
  return training(a) === training(b);
}

test('a model never calibrated calibrates on its first edit, shows why, and keeps the paper preset near', async ({
  page,
  context,
}) => {
  test.setTimeout(600_000);
  await serveHub(context, {
    [REPO]: Object.fromEntries(FILES.map((f) => [f, readFileSync(`public/models/editscope-facts/${f}`)])),
  });
  await page.goto('/models?backend=cpu&sw=off');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await loadHubModel(page, 'network');

  // Never calibrated: said before the first edit.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByTestId('calibration-none')).toContainText(`${REPO} was never calibrated`);
  await expect(page.getByTestId('memoir-preset')).toContainText('calibrated preset (once calibrated)');

  // The first edit calibrates first, with progress per stage, then trains.
  await page.getByRole('textbox', { name: 'Edit prompt' }).fill('The capital of France is');
  await page.getByRole('textbox', { name: 'New answer' }).fill('Rome');
  await page.getByRole('button', { name: 'Apply edit' }).click();
  const progress = page.getByTestId('training-calibration');
  await expect(progress).toContainText('calibration: routing on the calibration set');
  await expect(progress.getByRole('progressbar').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/calibration-running.png', fullPage: true });
  await expect(page.getByTestId('training-done')).toBeVisible({ timeout: 480_000 });
  await expect(page.getByTestId('edit-list')).toContainText('The capital of France is');

  // The figure, its table, the reason and the chosen τ; the memory took the calibrated config.
  await expect(page.getByTestId('calibration-none')).toHaveCount(0);
  await expect(page.getByTestId('calibration-plot').locator('svg').first()).toBeVisible();
  const tau = (await page.getByTestId('calibrated-tau').textContent())!;
  expect(Number(tau)).toBeGreaterThan(0);
  await expect(page.getByTestId('memoir-tau')).toHaveText(tau);
  await expect(page.getByTestId('calibration-reason')).toContainText('of paraphrases to their own fact');
  await expect(page.getByTestId('calibration-table')).toContainText('chosen');
  await expect(page.getByTestId('calibration-table')).toContainText('paper preset');
  await expect(page.getByTestId('memoir-preset')).toContainText(`calibrated preset: layer`);
  await page.getByTestId('calibration').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/calibration.png', fullPage: true });

  // The paper preset, one click away, then back. A memory with edits keeps its layer and k: when the
  // calibration chose another configuration than the paper's, the view says so.
  const calibrated = (await page.getByTestId('memoir-preset').textContent())!.split(': ')[1];
  await page.getByRole('button', { name: 'Use the paper preset' }).click();
  await expect(page.getByTestId('memoir-preset')).toContainText('paper preset: layer');
  const paper = (await page.getByTestId('memoir-preset').textContent())!.split(': ')[1];
  if (sameLayerAndK(paper, calibrated)) await expect(page.getByTestId('preset-differs')).toHaveCount(0);
  else {
    await expect(page.getByTestId('preset-differs')).toContainText('apply to a new memory, after Delete all');
  }
  await page.screenshot({ path: 'test-results/calibration-paper.png', fullPage: true });
  await page.getByRole('button', { name: 'Use the calibrated preset' }).click();
  await expect(page.getByTestId('memoir-preset')).toContainText('calibrated preset: layer');
  await expect(page.getByTestId('preset-differs')).toHaveCount(0);
  await expect(page.getByTestId('memoir-tau')).toHaveText(tau);

  // Calibrate again, cancelled: nothing is stored (the same calibration, made at the same time, shows).
  const chosen = await page.getByTestId('calibration-chosen').textContent();
  await page.getByRole('button', { name: 'Calibrate again' }).click();
  const running = page.getByTestId('calibration-running');
  await expect(running.getByRole('progressbar').first()).toBeVisible();
  await running.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('calibration')).toContainText('Calibration cancelled; nothing was stored.');
  await loadHubModel(page, 'cache'); // the worker reads the stored calibration again
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByTestId('calibration-chosen')).toHaveText(chosen!);

  // An unrelated prompt keeps its answer; a paraphrase takes the edit.
  const unrelated = await probeBaseVsMemoir(page, 'The capital of Japan is');
  expect(unrelated.edited).toBe(unrelated.base);
  const paraphrase = await probeBaseVsMemoir(page, 'The capital city of France is');
  expect(paraphrase.base).not.toContain('Rome');
  expect(paraphrase.edited).toContain('Rome');
});
