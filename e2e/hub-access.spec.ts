// A gated hub repo, loaded at a revision with an access token, against a stand-in hub (Playwright
// routes huggingface.co): the view says the repo is gated or private and where to accept its licence,
// the token went to the hub with the config request (at the chosen revision) and is nowhere on the
// page, in the URL or in localStorage; the tokenizer was never asked for, and the bundled model stays.
import { expect, test } from '@playwright/test';

const TOKEN = 'hf_e2eSecretToken';

test('a gated repo is explained, and the access token goes to the hub only', async ({ page, context }) => {
  const hubRequests: { url: string; auth: string | null }[] = [];
  await context.route('https://huggingface.co/**', async (route) => {
    const request = route.request();
    hubRequests.push({ url: request.url(), auth: await request.headerValue('authorization') });
    await route.fulfill({ status: 401, body: '', headers: { 'access-control-allow-origin': '*' } });
  });
  await page.goto('/models?sw=off');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  await page.getByRole('combobox', { name: 'Hub repo id' }).fill('gated-owner/gated-model@v2');
  await page.getByLabel('Hub access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Load' }).click();

  const error = page.getByTestId('model-error');
  await expect(error).toContainText('gated-owner/gated-model is gated or private', { timeout: 60_000 });
  await expect(error).toContainText('https://huggingface.co/gated-owner/gated-model');
  await expect(error).toContainText('the access token was not accepted');
  await expect(page.getByTestId('model-card')).toContainText('editscope-facts');

  const configRequest = hubRequests.find((r) => r.url.endsWith('/config.json'));
  expect(configRequest).toEqual({
    url: 'https://huggingface.co/gated-owner/gated-model/resolve/v2/config.json',
    auth: `Bearer ${TOKEN}`,
  });
  expect(hubRequests.filter((r) => r.url.includes('tokenizer'))).toEqual([]);
  expect(await page.locator('body').innerText()).not.toContain(TOKEN);
  expect(page.url()).not.toContain(TOKEN);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(TOKEN);
});
