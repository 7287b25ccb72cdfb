// A new user opens the playground: the bundled demo model loads by itself, and the Probe view
// completes a fact prompt with the fact the model was taught — on WebGPU and on the CPU fallback.
import { expect, test, type Page } from '@playwright/test';

async function waitForModel(page: Page) {
  await page.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 90_000 });
}

async function complete(page: Page, prompt: string) {
  await page.getByRole('link', { name: 'Probe' }).click();
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
  await page.getByRole('spinbutton').first().fill('4');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('completion-stats')).toBeVisible({ timeout: 90_000 });
  return (await page.getByTestId('completion').textContent()) ?? '';
}

test('the bundled model loads on WebGPU and completes a taught fact', async ({ page }) => {
  await page.goto('/probe?sw=off');
  await waitForModel(page);
  await expect(page.getByTestId('model-card')).toContainText('webgpu');
  await expect(page.getByTestId('model-card')).toContainText('editscope-facts');
  expect(await complete(page, 'The capital of France is')).toContain('The capital of France is Paris');
  await page.screenshot({ path: 'test-results/probe-view.png', fullPage: true });
});

test('the CPU backend gives the same completion', async ({ page }) => {
  await page.goto('/models?sw=off&model=none');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('model-card')).toContainText('cpu', { timeout: 90_000 });
  expect(await complete(page, 'The capital of Japan is')).toContain('The capital of Japan is Tokyo');
});
