// The Scope view as a teacher uses it: one edit, then probes set against it — paraphrases that should
// take the new answer, related facts and unrelated text that must keep theirs — with the verdicts.
import { expect, test } from '@playwright/test';
import { applyEdit } from './edit';

test('probe where an edit reaches, group by group', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/edit?sw=off&backend=cpu');
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeEnabled({ timeout: 120_000 });
  await applyEdit(page, 'The capital of France is', 'Rome');

  await page.getByRole('link', { name: 'Scope' }).click();
  await expect(page.getByRole('combobox', { name: 'Edit to probe' })).toHaveValue(/.+/);
  await page
    .getByRole('textbox', { name: 'Should take the new answer' })
    .fill('The city that serves as the capital of France is\nIn short, the capital city of France is');
  await page
    .getByRole('textbox', { name: 'Must keep their answer' })
    .fill('The capital of Japan is\nThe capital of Germany is\nThe currency of France is');
  await page.getByRole('textbox', { name: 'Unrelated text' }).fill('Call me');
  await page.getByRole('button', { name: 'Probe scope' }).click();
  await expect(page.getByTestId('scope-results')).toBeVisible({ timeout: 120_000 });
  await page.screenshot({ path: 'test-results/scope-view.png', fullPage: true });

  await expect(page.getByTestId('scope-summary-reach')).toHaveText('2 of 2 take the new answer.');
  await expect(page.getByTestId('scope-summary-related')).toHaveText('3 of 3 keep their answer.');
  await expect(page.getByTestId('scope-summary-unrelated')).toHaveText('1 of 1 keep their answer.');
  const reach = page.getByTestId('scope-group-reach');
  await expect(reach.getByRole('row').nth(1)).toContainText('Rome');
  await expect(reach.getByRole('row').nth(1)).toContainText('ON');
  await expect(page.getByTestId('scope-group-related').getByRole('row').nth(1)).toContainText('Tokyo');
});
