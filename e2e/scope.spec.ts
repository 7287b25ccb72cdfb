// The Scope view as a teacher uses it: one edit, then probes set against it — paraphrases that should
// take the new answer, related facts and unrelated text that must keep theirs — with the verdicts of
// MEMOIR and SERAC side by side; for a fact the bundled model was taught, the probes are suggested.
import { expect, test } from '@playwright/test';
import { applyEdit, openEditView } from './edit';
import { probeScope } from './scope';

test('probe where an edit reaches, group by group', async ({ page }) => {
  test.setTimeout(300_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');

  await page.getByRole('link', { name: 'Scope' }).click();
  await expect(page.getByRole('combobox', { name: 'Edit to probe' })).toHaveValue(/.+/);
  await probeScope(page, {
    reach: 'The city that serves as the capital of France is\nIn short, the capital city of France is',
    related: 'The capital of Japan is\nThe capital of Germany is\nThe currency of France is',
    unrelated: 'Call me',
  });
  await page.screenshot({ path: 'test-results/scope-view.png', fullPage: true });

  // Both editors, side by side: MEMOIR's verdicts first, then SERAC's (its models load on first use).
  await expect(page.getByTestId('scope-summary-reach')).toHaveText(
    'MEMOIR: 2 of 2 take the new answer. SERAC: 2 of 2.',
  );
  await expect(page.getByTestId('scope-summary-related')).toHaveText(
    'MEMOIR: 3 of 3 keep their answer. SERAC: 3 of 3.',
  );
  await expect(page.getByTestId('scope-summary-unrelated')).toHaveText(
    'MEMOIR: 1 of 1 keep their answer. SERAC: 1 of 1.',
  );
  const firstParaphrase = page.getByTestId('scope-group-reach').getByRole('row').nth(1);
  // Prompt, base, overlap, memory, MEMOIR, ✓, scope score, routed, SERAC, ✓.
  await expect(firstParaphrase.getByRole('cell').nth(3)).toHaveText('ON');
  await expect(firstParaphrase.getByRole('cell').nth(4)).toContainText('Rome');
  await expect(firstParaphrase.getByRole('cell').nth(7)).toHaveText('ON');
  await expect(firstParaphrase.getByRole('cell').nth(8)).toContainText('Rome');
  await expect(page.getByTestId('scope-group-related').getByRole('row').nth(1)).toContainText('Tokyo');
});

test('suggested probes for a fact the bundled model was taught, added under what was typed', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');

  await page.getByRole('link', { name: 'Scope' }).click();
  const reach = page.getByRole('textbox', { name: 'Should take the new answer' });
  await reach.fill('France is governed from');
  await page.getByRole('button', { name: 'Suggest probes' }).click();
  await expect(page.getByTestId('probe-suggestion')).toContainText('the capital of France');
  await expect(reach).toHaveValue(/^France is governed from\n.*The capital city of France is/s);
  const related = page.getByRole('textbox', { name: 'Must keep their answer' });
  await expect(related).toHaveValue(/The continent of France is/);
  const unrelated = page.getByRole('textbox', { name: 'Unrelated text' });
  expect((await unrelated.inputValue()).split('\n')).toHaveLength(3);
  await page.screenshot({ path: 'test-results/scope-suggested.png', fullPage: true });

  await probeScope(page, {}, 180_000); // the suggested probes, as typed in above
  const lines = async (box: typeof reach) => (await box.inputValue()).split('\n').length;
  await expect(page.getByTestId('scope-summary-reach')).toContainText(
    new RegExp(`MEMOIR: \\d+ of ${await lines(reach)} take the new answer`),
  );
  await expect(page.getByTestId('scope-summary-related')).toContainText(
    new RegExp(`MEMOIR: \\d+ of ${await lines(related)} keep their answer`),
  );
});
