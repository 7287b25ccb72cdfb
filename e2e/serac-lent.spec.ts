// SERAC on a base model its bundled companions were not trained for: the Edit view names the companions
// it gets instead and why (a hub sentence-embedding scope model, threshold calibrated for this base; the
// base model itself with the edit in context), before any of them loads. The base is the bundled model's
// files under another URL, a stand-in for a hub model that takes the same loader. The whole hub path
// (calibration, an edit scoped) is serac-hub.spec.ts.
import { expect, test } from '@playwright/test';

test('SERAC names the companions it chooses for a model without trained ones, and why', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/models?backend=cpu&sw=off');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  const elsewhere = `${new URL(page.url()).origin}/models/editscope-facts`;
  await page.getByRole('combobox', { name: 'Hub repo id' }).fill(elsewhere);
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('model-card')).toContainText(elsewhere, { timeout: 120_000 });

  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  const scope = page.getByTestId('serac-scope-model');
  await expect(scope).toContainText('Scope model: Xenova/all-MiniLM-L6-v2, a sentence-embedding model');
  await expect(scope).toContainText('the bundled scope model knows only the bundled facts');
  await expect(scope).toContainText('not calibrated yet');
  const counterfactual = page.getByTestId('serac-counterfactual');
  await expect(counterfactual).toContainText('Counterfactual: the base model itself');
  await expect(counterfactual).toContainText('reads the edit in context');
  await expect(page.getByTestId('serac-threshold')).toHaveText('not calibrated yet');

  // The bundled model keeps the bundled companions.
  await page.goto('/edit?backend=cpu&sw=off');
  await expect(page.getByTestId('serac-scope-model')).toContainText(
    'Scope model: /models/editscope-scope, a cross-encoder trained for SERAC',
    { timeout: 120_000 },
  );
  await expect(page.getByTestId('serac-scope-model')).toContainText('from the scope model’s card');
  await expect(page.getByTestId('serac-counterfactual')).toContainText(
    'Counterfactual: /models/editscope-facts-counterfactual, trained for SERAC',
  );
  // The in-context counterfactual is offered for the bundled model too.
  await page.getByText('Other SERAC companions').click();
  await page.getByRole('textbox', { name: /Counterfactual model/ }).fill('base');
  await page.getByRole('button', { name: 'Use these companions' }).click();
  await expect(page.getByTestId('serac-counterfactual')).toContainText(
    'Counterfactual: the base model itself, it reads the edit in context',
  );
  await expect(page.getByTestId('serac-counterfactual')).toContainText('you chose the base model itself');
  await page.screenshot({ path: 'test-results/serac-lent.png', fullPage: true });
});
