// Bad input gets a clear message and loses nothing: a hub model that cannot be fetched leaves the
// bundled model loaded and usable; an edit with an empty answer cannot be submitted.
import { expect, test } from '@playwright/test';

test('a model that fails to load is reported and the previous model stays usable', async ({ page }) => {
  await page.goto('/models?sw=off');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  await page.getByRole('combobox', { name: 'Hub repo id' }).fill('no-such-owner/no-such-model');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('model-error')).toContainText('no-such-owner/no-such-model', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('model-error')).toContainText('LOAD');
  await expect(page.getByText('Still loaded')).toBeVisible();
  await expect(page.getByTestId('model-card')).toContainText('editscope-facts');

  await page.getByRole('link', { name: 'Probe' }).click();
  await page.getByRole('textbox', { name: 'Prompt' }).fill('The capital of Japan is');
  await page.getByRole('spinbutton').first().fill('5');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('completion')).toContainText('Tokyo', { timeout: 60_000 });
});

test('an edit with an empty answer cannot be applied and says why', async ({ page }) => {
  await page.goto('/edit?sw=off');
  await page.getByRole('textbox', { name: 'New answer' }).fill('   ');
  await expect(page.getByText('Type the new answer.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeDisabled();
});
