// The Memory view as a class uses it: three MEMOIR edits, then their masks over the memory's columns,
// how many edits share each column, the overlap matrix against τ, and a paraphrase of one edit checked
// before it is trained: that edit is ranked first and flagged as sharing the memory with it. Under the CSP.
import { expect, test } from '@playwright/test';
import { watchCsp } from './csp';
import { applyEdit, openEditView } from './edit';

const EDITS = [
  ['The capital of France is', 'Rome'],
  ['The element Sodium is written with the symbol', 'Fe'],
  ['The primary language of Mayotte is', 'German'],
] as const;

test('see the stored masks, their sharing and overlaps, and check a new prompt for collisions', async ({
  page,
  context,
}) => {
  test.setTimeout(400_000);
  const violations = await watchCsp(page, context);
  await openEditView(page);
  for (const [prompt, answer] of EDITS) await applyEdit(page, prompt, answer);

  await page.getByRole('link', { name: 'Memory' }).click();
  await expect(page.getByTestId('memory-edits').getByRole('listitem')).toHaveCount(3);

  // One strip per edit, each with k = 256 columns of the bundled model's H = 2048.
  const masks = page.getByTestId('mask-raster');
  await expect(masks.locator('svg[aria-label]').first()).toBeVisible();
  const maskRows = masks.locator('tbody tr');
  await expect(maskRows).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await expect(maskRows.nth(i).locator('td').nth(0)).toContainText(EDITS[i][0]);
    await expect(maskRows.nth(i).locator('td').nth(1)).toHaveText('256');
  }

  const sharing = page.getByTestId('memory-sharing');
  await expect(sharing).toContainText('256/2048 = 0.125');
  const used = Number((await sharing.locator('tr').first().locator('td').textContent())!.split(' of ')[0]);
  expect(used).toBeGreaterThanOrEqual(256);
  expect(used).toBeLessThanOrEqual(3 * 256);
  // The per-column table lists every used column once.
  await expect(page.getByTestId('column-sharing').locator('tbody tr')).toHaveCount(used);

  // The 3 × 3 matrix as its text table: 1 on the diagonal, symmetric, τ in the caption.
  const matrix = page.getByTestId('overlap-matrix');
  await expect(matrix.locator('figcaption')).toContainText('τ = 0.53');
  const rows = matrix.locator('tbody tr');
  await expect(rows).toHaveCount(3);
  const cells: string[][] = [];
  for (let i = 0; i < 3; i++) cells.push(await rows.nth(i).locator('td').allTextContents());
  for (let i = 0; i < 3; i++) {
    expect(cells[i]).toHaveLength(4);
    expect(cells[i][1 + i]).toBe('1');
    for (let j = 0; j < 3; j++) expect(cells[i][1 + j]).toBe(cells[j][1 + i]);
  }

  // A held-out rephrase of the first edit (public/benchmarks/facts-edits.json): checked, not trained.
  await page
    .getByRole('textbox', { name: 'Prompt of a new edit' })
    .fill('The city that serves as the capital of France is');
  await page.getByRole('button', { name: 'Check its mask' }).click();
  const first = page.getByTestId('collisions').locator('tbody tr').first();
  await expect(first).toContainText('The capital of France is', { timeout: 60_000 });
  await expect(first.locator('td').last()).toHaveText('≥ τ: collides');
  await expect(page.getByTestId('collision-verdict')).toContainText(
    'This edit would share the memory with #1 The capital of France is → Rome',
  );
  // Its mask joins the rasters as a fourth strip; nothing was stored.
  await expect(maskRows).toHaveCount(4);
  await expect(page.getByTestId('memory-edits').getByRole('listitem')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/memory-view.png', fullPage: true });
  // Plot's marks and swatch legends draw under the app's CSP (no ramp legend: its <style> is not allowed).
  expect(await violations()).toEqual([]);
});
