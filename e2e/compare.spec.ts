// The Compare view as a class would use it, offline after a first visit: one edit, then the same
// prompts through the base model, MEMOIR and SERAC side by side, each editor saying why it answered as
// it did. SERAC's counterfactual and scope models load on the first comparison, from the precache.
import { expect, test } from '@playwright/test';
import { compareEditors } from './compare';
import { applyEdit } from './edit';
import { reloadOffline } from './offline';

test('offline: base, MEMOIR and SERAC on one edit, its paraphrase, another country', async ({
  page,
  context,
}) => {
  test.setTimeout(420_000);
  await page.goto('/edit?backend=cpu');
  await reloadOffline(page, context);
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeEnabled({ timeout: 120_000 });
  await applyEdit(page, 'The capital of France is', 'Rome');
  await page.getByRole('link', { name: 'Compare' }).click();

  // A held-out paraphrase (public/benchmarks/facts-edits.json): both editors carry the edit to it.
  const paraphrase = await compareEditors(page, 'The city that serves as the capital of France is');
  await page.screenshot({ path: 'test-results/compare-view.png', fullPage: true });
  expect(paraphrase.base).toContain('Paris');
  expect(paraphrase.memoir).toContain('Rome');
  expect(paraphrase.serac).toContain('Rome');
  expect(paraphrase.memoirRouting).toContain('memory ON');
  expect(paraphrase.seracRouting).toMatch(
    /Top-scoring edit: “The capital of France is” → “Rome”, scope score (0\.9\d|1\.00) ≥ 0\.94: the counterfactual model answers/,
  );

  // Another country's capital in the edit's own template: both leave it to the base model.
  const other = await compareEditors(page, 'The capital of Japan is');
  expect(other.base).toContain('Tokyo');
  expect(other.memoir).toContain('Tokyo');
  expect(other.serac).toContain('Tokyo');
  expect(other.seracRouting).toMatch(/scope score 0\.\d\d < 0\.94: the base model answers/);

  // SERAC's threshold, set in the Edit view: at 0 every prompt goes to the counterfactual model; it is
  // kept over a reload, and goes back to the scope model's own.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByTestId('serac-threshold')).toHaveText('0.94');
  await page.getByRole('spinbutton', { name: 'SERAC threshold' }).fill('0');
  await page.getByRole('button', { name: 'Set threshold', exact: true }).click();
  await expect(page.getByTestId('serac-threshold')).toHaveText('0');
  await page.screenshot({ path: 'test-results/edit-gates.png', fullPage: true });
  await page.getByRole('link', { name: 'Compare' }).click();
  const opened = await compareEditors(page, 'The capital of Japan is');
  expect(opened.seracRouting).toMatch(/scope score 0\.\d\d ≥ 0: the counterfactual model answers/);
  expect(opened.memoirRouting).toBe(other.memoirRouting);
  await page.goto('/edit?backend=cpu');
  await expect(page.getByTestId('serac-threshold')).toHaveText('0', { timeout: 120_000 });
  await page.getByRole('button', { name: "Reset threshold to this model's default (0.94)" }).click();
  await expect(page.getByTestId('serac-threshold')).toHaveText('0.94');

  // Deleting the edit takes it out of both editors at once: SERAC's memory is the stored edit list.
  await page.getByRole('button', { name: 'Delete edit The capital of France is' }).click();
  await expect(page.getByText('No edits yet')).toBeVisible();
  await page.getByRole('link', { name: 'Compare' }).click();
  const deleted = await compareEditors(page, 'The city that serves as the capital of France is');
  expect(deleted.serac).toContain('Paris');
  expect(deleted.seracRouting).toBe('SERAC — No stored edits: the base model answers.');
});
