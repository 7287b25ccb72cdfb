// The built app runs under its Content-Security-Policy (src/app/csp.ts): the preview server sends it as a
// header, index.html carries it as a <meta> tag (without frame-ancestors, which only a header may set),
// and no view, nor loading the bundled model on the GPU, nor the Scope view's charts (Observable Plot
// writes <style> elements into them), trips it.
import { expect, test } from '@playwright/test';
import { contentSecurityPolicy } from '../src/app/csp';
import { VIEWS } from '../src/app/routes';
import { watchCsp } from './csp';
import { applyEdit, openEditView } from './edit';
import { probeScope } from './scope';

test('the policy is sent as a header and a meta tag, and no view violates it', async ({ page, context }) => {
  const violations = await watchCsp(page, context);
  const response = await page.goto('/models?sw=off');
  const header = response!.headers()['content-security-policy'];
  expect(header).toBe(contentSecurityPolicy('header'));
  expect(header).toContain("frame-ancestors 'none'");
  expect(header).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toBe(contentSecurityPolicy('meta'));
  expect(meta).not.toContain('frame-ancestors');

  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  const readme = page.getByTestId('model-readme');
  await readme.locator('summary').click();
  const figure = readme.getByRole('img', { name: /Mask overlap distributions/ });
  await expect.poll(() => figure.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  for (const { title } of VIEWS) {
    await page.getByRole('link', { name: title, exact: true }).click();
    await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
    await expect(page.getByTestId('view-failed')).toHaveCount(0);
  }
  expect(await violations()).toEqual([]);
});

test('an image from outside the app and the hub is blocked and reported', async ({ page, context }) => {
  const violations = await watchCsp(page, context);
  await page.goto('/about?sw=off');
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = 'https://images.example.com/tracker.png';
    document.body.append(img);
  });
  await expect
    .poll(violations)
    .toContainEqual(expect.stringContaining('img-src blocked https://images.example.com'));
});

test('the Scope view draws its charts under the policy', async ({ page, context }) => {
  test.setTimeout(300_000);
  const violations = await watchCsp(page, context);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');
  await page.getByRole('link', { name: 'Scope' }).click();
  await probeScope(page, { reach: 'The city that serves as the capital of France is', unrelated: 'Call me' });
  await expect(page.locator('figure.plot svg').first()).toBeVisible();
  expect(await violations()).toEqual([]);
});
