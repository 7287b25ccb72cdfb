// A first visit: the welcome on the landing view says what loads (weights with progress, MEMOIR's
// background statistics — shipped with the bundled model —, SERAC's companions) and lists the built-in
// lessons; while the weights are held back (Playwright routing), every view shows the load's progress
// and what it will do, never a bare "not loaded"; dismissing the welcome lasts across a reload.
import { expect, test } from '@playwright/test';

const VIEWS_WAITING = ['Edit', 'Scope', 'Memory', 'Benchmark', 'Compare', 'Probe'];

test('a first visit sees what loads and why, and every view waits with progress', async ({ page }) => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/models/editscope-facts/model.safetensors', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/probe?backend=cpu&sw=off');
  const welcome = page.getByTestId('welcome');
  await expect(welcome.getByTestId('welcome-weights')).toContainText('/models/editscope-facts');
  await expect(welcome.getByTestId('welcome-weights').getByTestId('progress')).toContainText('config.json');
  await expect(welcome.getByTestId('welcome-background')).toContainText('next, once the weights are in');
  await expect(welcome.getByTestId('welcome-serac')).toContainText('loaded on the first SERAC call');
  const lessons = welcome.getByTestId('welcome-lessons').getByRole('link');
  await expect(lessons).toHaveCount(4);
  await expect(lessons.first()).toHaveAttribute('href', /^\/lesson#lesson=2\./);

  for (const view of VIEWS_WAITING) {
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: view, exact: true })
      .click();
    const waiting = page.getByTestId('model-waiting');
    await expect(waiting).toContainText('Loading /models/editscope-facts');
    await expect(waiting).toContainText('Once it is loaded, this view will');
    await expect(waiting.getByTestId('progress')).toBeVisible();
    await expect(page.getByText('not loaded yet')).toHaveCount(0);
  }

  release();
  await expect(welcome.getByTestId('welcome-background')).toContainText('they came with the model', {
    timeout: 120_000,
  });
  await expect(welcome.getByTestId('welcome-weights')).toContainText('is ready');
  await expect(page.getByTestId('model-waiting')).toHaveCount(0);
  await welcome.screenshot({ path: 'test-results/welcome.png' });

  await welcome.getByRole('button', { name: 'Got it, hide this' }).click();
  await expect(welcome).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('model-badge')).toContainText('editscope-facts', { timeout: 120_000 });
  await expect(page.getByRole('heading', { name: 'Probe' })).toBeVisible();
  await expect(page.getByTestId('welcome')).toHaveCount(0);
});
