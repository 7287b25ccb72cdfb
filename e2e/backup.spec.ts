// Keeping people's work, under the app's Content-Security-Policy: edit fields refuse text past the bound;
// the first stored edit asks the browser for persistent storage (the reason shown before); a backup file
// of the edits restores them exactly (a second export is the same file body: edits, masks, deltas, Wm,
// τ), only into an empty edit list, and a changed file is refused. SERAC (onnxruntime-web) then answers
// over the restored edit, and nothing along the way trips the policy.
import { readFile, writeFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { compareEditors } from './compare';
import { watchCsp } from './csp';
import { applyEdit, openEditView } from './edit';

async function exportBackup(page: Page): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export backup' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^editscope-models-editscope-facts-\d{4}-\d\d-\d\d\.json$/);
  return readFile(await download.path(), 'utf8');
}

test('a backup round-trips the edits exactly, into an empty list only; limits and persistence', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(480_000);
  const violations = await watchCsp(page, context);
  await openEditView(page);
  const persistence = page.getByTestId('storage-persistence');
  await expect(persistence).toContainText('Editscope asks the browser for persistent storage');

  await page.getByRole('textbox', { name: 'Edit prompt' }).fill('x'.repeat(501));
  await expect(page.getByTestId('edit-form-problem')).toHaveText(
    "The prompt is 501 characters long; an edit's may be at most 500.",
  );
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeDisabled();

  await applyEdit(page, 'The capital of France is', 'Rome');
  await expect(persistence).toContainText(/persistent storage granted|did not grant persistent storage/);
  const first = await exportBackup(page);
  await expect(page.getByLabel('Import backup file')).toBeDisabled();
  await expect(page.getByText('A backup is restored into an empty edit list')).toBeVisible();

  await page.getByRole('button', { name: 'Delete edit The capital of France is' }).click();
  await expect(page.getByText('No edits yet')).toBeVisible();
  const changed = testInfo.outputPath('changed.json');
  await writeFile(changed, first.replace('"target":" Rome"', '"target":" Oslo"'));
  await page.getByLabel('Import backup file').setInputFiles(changed);
  await expect(page.getByTestId('backup-message')).toContainText(
    'Import failed: memoir: this backup cannot be restored: the checksum does not match',
  );
  const saved = testInfo.outputPath('backup.json');
  await writeFile(saved, first);
  await page.getByLabel('Import backup file').setInputFiles(saved);
  await expect(page.getByTestId('backup-message')).toContainText('Restored the edits of backup.json.');
  await expect(page.getByTestId('edit-list')).toContainText('The capital of France is');

  // Stored as restored: after a reload the same file comes out, body and checksum.
  await page.reload();
  await expect(page.getByTestId('edit-list')).toContainText('The capital of France is', { timeout: 120_000 });
  const second = JSON.parse(await exportBackup(page));
  const { exportedAt: _first, ...before } = JSON.parse(first);
  const { exportedAt: _second, ...after } = second;
  expect(after).toEqual(before);

  await page.getByRole('link', { name: 'Compare' }).click();
  const paraphrase = await compareEditors(page, 'The city that serves as the capital of France is');
  expect(paraphrase.memoir).toContain('Rome');
  expect(paraphrase.serac).toContain('Rome');
  expect(await violations()).toEqual([]);
});
