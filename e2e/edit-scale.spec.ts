// The Edit view with 1,000 stored MEMOIR edits (seeded in the store's own record format by the scale
// benchmark's page, bench/pages/memoir-scale.ts): the count is listed, only the first 100 rows are
// drawn, "Show more" adds 100, and a search narrows the list to the one edit it names. How long any of
// it takes is measured by `npm run bench:memoir-scale`, never asserted here.
import { expect, test } from '@playwright/test';
import { openEditView } from './edit';

test('1,000 stored edits: counted, listed 100 at a time, and a search finds the one it names', async ({
  page,
}) => {
  await page.goto('/bench/pages/memoir-scale.html?edits=1000&queries=10');
  await page.waitForFunction(() => '__benchResult' in window, null, { timeout: 110_000, polling: 500 });
  const seeded = (await page.evaluate(() => window.__benchResult)) as { edits?: number; error?: string };
  expect(seeded.error).toBeUndefined();
  expect(seeded.edits).toBe(1000);

  await openEditView(page);
  const count = page.getByTestId('edit-count');
  const rows = page.getByTestId('edit-list').locator('tbody tr');
  await expect(count).toHaveText('1,000 edits (showing the first 100)');
  await expect(rows).toHaveCount(100);
  await page.getByRole('button', { name: 'Show 100 more' }).click();
  await expect(rows).toHaveCount(200);
  await expect(count).toHaveText('1,000 edits (showing the first 200)');

  const search = page.getByRole('searchbox', { name: 'Search edits' });
  // By prompt, in another case: the one edit of that number.
  await search.fill('SEEDLAND-00427');
  await expect(count).toHaveText('1,000 edits, 1 matches');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('The capital of Seedland-00427 is');
  await expect(rows).toContainText('Seedcity-00427');
  // By answer: the ten edits 420–429.
  await search.fill('seedcity-0042');
  await expect(count).toHaveText('1,000 edits, 10 match');
  await expect(rows).toHaveCount(10);
  await search.fill('');
  await expect(count).toHaveText('1,000 edits (showing the first 100)');
});
