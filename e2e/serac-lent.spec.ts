// SERAC on a base model its companions were not trained for: the bundled counterfactual and scope
// models serve it, and the Edit view says so. The base is the bundled model's files under another URL,
// a stand-in for a hub model that takes the same loader (no hub is reachable here).
import { expect, test } from '@playwright/test';
import { compareEditors } from './compare';
import { applyEdit } from './edit';

test('SERAC edits a model it was not trained for with the bundled companions, and says so', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/models?backend=cpu&sw=off');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  const elsewhere = `${new URL(page.url()).origin}/models/editscope-facts`;
  await page.getByRole('combobox', { name: 'Hub repo id' }).fill(elsewhere);
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('model-card')).toContainText(elsewhere, { timeout: 120_000 });

  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByTestId('serac-borrowed')).toContainText(
    'SERAC edits this model with the bundled counterfactual (/models/editscope-facts-counterfactual)',
  );
  await applyEdit(page, 'The capital of France is', 'Rome');
  await page.screenshot({ path: 'test-results/serac-lent.png', fullPage: true });
  await page.getByRole('link', { name: 'Compare' }).click();
  const paraphrase = await compareEditors(page, 'The city that serves as the capital of France is');
  expect(paraphrase.base).toContain('Paris');
  expect(paraphrase.serac).toContain('Rome');
  expect(paraphrase.seracRouting).toContain('the counterfactual model answers');
  const other = await compareEditors(page, 'The capital of Japan is');
  expect(other.serac).toContain('Tokyo');
  expect(other.seracRouting).toContain('the base model answers');
});
