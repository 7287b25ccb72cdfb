// SERAC on a base model it has no companions for, as a new user meets it without internet (#19): a
// stand-in hub serves the bundled editscope-facts weights under another repo name (a hub model like any
// other), the sentence-embedding fixture (a tiny sentence embedder the foundry trained on its own fact
// templates, tests/fixtures/hub/sentence-embedding) as the default scope model Xenova/all-MiniLM-L6-v2, and the bundled counterfactual under a hub name. The Edit
// view names the default companions (the embedding scope, the base itself with the edit in context),
// the user picks the hub counterfactual (the toy base cannot use an edit in context), calibrates the
// scope threshold, applies an edit, and in Compare a paraphrase takes it and an unrelated prompt keeps
// its answer in SERAC; both views name the companions.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { compareEditors } from './compare';
import { applyEdit } from './edit';
import { serveHub } from './tiny-hub';

const BASE = 'editscope/facts-elsewhere';
const SCOPE = 'Xenova/all-MiniLM-L6-v2';
const COUNTERFACTUAL = 'editscope/facts-counterfactual';

/** Every file under `dir`, by its path inside it (a hub repo's layout). */
function repoFiles(dir: string, prefix = ''): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const name of readdirSync(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, rel)).isDirectory()) Object.assign(files, repoFiles(dir, rel));
    else files[rel] = readFileSync(join(dir, rel));
  }
  return files;
}

test('SERAC on a hub model: default companions named, a hub counterfactual picked, scope calibrated, an edit scoped at the calibrated threshold', async ({
  page,
  context,
}) => {
  test.setTimeout(600_000);
  await serveHub(context, {
    [BASE]: repoFiles('public/models/editscope-facts'),
    [SCOPE]: repoFiles('tests/fixtures/hub/sentence-embedding'),
    [COUNTERFACTUAL]: repoFiles('public/models/editscope-facts-counterfactual'),
  });
  await page.goto('/models?backend=cpu&sw=off');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  await page.getByRole('combobox', { name: 'Hub repo id' }).fill(BASE);
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('model-card')).toContainText(BASE, { timeout: 120_000 });

  // The default companions for a model with none trained for it, each with why.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  const scope = page.getByTestId('serac-scope-model');
  const counterfactual = page.getByTestId('serac-counterfactual');
  await expect(scope).toContainText(`Scope model: ${SCOPE}, a sentence-embedding model`);
  await expect(scope).toContainText('not calibrated yet');
  await expect(counterfactual).toContainText('Counterfactual: the base model itself');
  await expect(counterfactual).toContainText('reads the edit in context');
  await expect(counterfactual).toContainText('no counterfactual model was trained for this base model');

  // Pick the hub counterfactual: a model trained for SERAC, which its card says.
  await page.getByText('Other SERAC companions').click();
  await page.getByRole('textbox', { name: /Counterfactual model/ }).fill(COUNTERFACTUAL);
  await page.getByRole('button', { name: 'Use these companions' }).click();
  await expect(counterfactual).toContainText(`Counterfactual: ${COUNTERFACTUAL}, trained for SERAC`);
  await expect(counterfactual).toContainText('you chose this model');

  // Calibrate the scope threshold for this base model: progress, then the threshold and where it came from.
  await page.getByRole('button', { name: 'Calibrate the scope threshold now' }).click();
  await expect(page.getByTestId('serac-calibrating')).toBeVisible();
  await expect(scope).toContainText('calibrated for this base model on the calibration set', {
    timeout: 300_000,
  });
  const calibrated = Number(await page.getByTestId('serac-threshold').textContent());
  expect(calibrated).toBeGreaterThan(0);
  expect(calibrated).toBeLessThanOrEqual(1);
  // At the calibrated threshold (the fixture: .805 on the shipped set) the paraphrase below scores .87
  // against the France edit, another capital .41 and another relation of France .43.
  await applyEdit(page, 'The capital of France is', 'Rome');
  await page.getByRole('link', { name: 'Compare' }).click();
  const paraphrase = await compareEditors(page, 'The capital city of France is');
  expect(paraphrase.base).toContain('Paris');
  expect(paraphrase.serac).toContain('Rome');
  expect(paraphrase.seracRouting).toContain('the counterfactual model answers');
  for (const [prompt, answer] of [
    ['The currency of France is', 'Euro'],
    ['The capital of Japan is', 'Tokyo'],
  ]) {
    const other = await compareEditors(page, prompt);
    expect(other.base).toContain(answer);
    expect(other.serac).toBe(other.base);
    expect(other.seracRouting).toContain('the base model answers');
  }
  await expect(page.getByTestId('serac-scope-model')).toContainText(`${SCOPE}, a sentence-embedding model`);
  await expect(page.getByTestId('serac-scope-model')).toContainText('calibrated for this base model');
  await expect(page.getByTestId('serac-counterfactual')).toContainText(COUNTERFACTUAL);
  await page.screenshot({ path: 'test-results/serac-hub.png', fullPage: true });
});
