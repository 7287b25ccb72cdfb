// The playground works offline: after one online visit the service worker has precached the app
// shell and the bundled model, so a reload with the network cut still loads the model, shows its card
// and completes.
import { expect, test } from '@playwright/test';
import { reloadOffline } from './offline';

test('after one visit, the playground loads and runs the bundled model offline', async ({
  page,
  context,
}) => {
  await page.goto('/models');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  await reloadOffline(page, context);
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });

  // The model's card, also offline: what it was taught and what it reaches, with its overlap figure.
  const readme = page.getByTestId('model-readme');
  await readme.locator('summary').click(); // not getByText: "Fetching the model card…" may show too
  await expect(readme.getByRole('heading', { name: 'editscope-facts' })).toBeVisible();
  await expect(readme.getByRole('table').first()).toContainText('Fact recall, held-out templates');
  await expect(readme).not.toContainText('license: other'); // the hub's front matter is not shown
  const figure = readme.getByRole('img', { name: /Mask overlap distributions/ });
  await expect.poll(() => figure.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/model-card-offline.png', fullPage: true });

  await page.getByRole('link', { name: 'Probe' }).click();
  await page.getByRole('textbox', { name: 'Prompt' }).fill('The capital of Japan is');
  await page.getByRole('spinbutton').first().fill('5');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('completion')).toContainText('Tokyo', { timeout: 60_000 });
});
