// Two tabs of one browser profile (one context, two pages, one IndexedDB): an edit applied in one is
// listed in the other without a reload (the store channel's announcement), and deleted there, it goes
// from both lists; a reload of either finds the same store.
import { expect, test } from '@playwright/test';
import { applyEdit, openEditView } from './edit';

const PROMPT = 'The capital of France is';

test('two tabs: an edit applied in one is listed in the other, deleted there, gone from both', async ({
  context,
}) => {
  test.setTimeout(420_000);
  const a = await context.newPage();
  const b = await context.newPage();
  await openEditView(a);
  await openEditView(b);
  await expect(b.getByText('No edits yet')).toBeVisible();

  await applyEdit(a, PROMPT, 'Rome');
  await expect(b.getByTestId('edit-list')).toContainText(PROMPT);

  await b.getByRole('button', { name: `Delete edit ${PROMPT}` }).click();
  await expect(b.getByText('No edits yet')).toBeVisible();
  await expect(a.getByText('No edits yet')).toBeVisible();

  await a.reload();
  await expect(a.getByRole('button', { name: 'Apply edit' })).toBeEnabled({ timeout: 120_000 });
  await expect(a.getByText('No edits yet')).toBeVisible();
});
