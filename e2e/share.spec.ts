// Sharing an edit set as a URL: one person shares their edits, another opens the link in a fresh
// browser profile, sees what it carries, imports it (the edits are trained there) and gets the same
// answers; a broken link says why and leaves the stored edits alone.
import { expect, test } from '@playwright/test';
import { applyEdit, openEditView } from './edit';

test('share edits as a link, import them elsewhere, reject a broken link', async ({ page, browser }) => {
  test.setTimeout(400_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');
  await page.getByRole('button', { name: 'Share these edits' }).click();
  const link = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  expect(link).toMatch(/\/edit#edits=[A-Za-z0-9_-]+$/);

  // Someone else, with an empty memory, opens the link (on the CPU backend, as everywhere in e2e).
  const other = await (await browser.newContext()).newPage();
  await other.goto(link.replace('/edit#', '/edit?sw=off&backend=cpu#'));
  const offer = other.getByTestId('share-incoming');
  await expect(offer).toContainText('This link carries 1 MEMOIR edit made on /models/editscope-facts');
  await expect(offer).toContainText('“The capital of France is” → “Rome”');
  await expect(other.getByText('No edits yet')).toBeVisible({ timeout: 120_000 });
  await other.getByRole('button', { name: 'Import: train 1 edit' }).click();
  await expect(other.getByTestId('training-done')).toContainText('Edit 1 of 1', { timeout: 180_000 });
  await expect(other.getByTestId('edit-list')).toContainText('The capital of France is');
  expect(other.url()).not.toContain('#edits=');

  await other.getByRole('link', { name: 'Probe' }).click();
  await other.getByRole('textbox', { name: 'Prompt' }).fill('The capital of France is');
  await other.getByRole('button', { name: 'Base vs MEMOIR' }).click();
  await expect(other.getByTestId('memoir-output')).toContainText('Rome', { timeout: 60_000 });

  // A damaged link: a readable reason, nothing imported, the stored edit still there.
  await other.goto('/edit?sw=off&backend=cpu#edits=AAAA');
  await expect(other.getByTestId('share-invalid')).toContainText('This share link is broken:');
  await expect(other.getByTestId('edit-list')).toContainText('The capital of France is', {
    timeout: 120_000,
  });
});
