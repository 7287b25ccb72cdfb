// Bad input gets a clear message and loses nothing: a hub model that cannot be fetched leaves the
// bundled model loaded and usable; an edit with an empty answer cannot be submitted; a corrupt stored
// MEMOIR memory is reported and rebuilt from the stored edits, which still hold after the reload; stored
// edits whose trained change is unreadable are listed as not in force in MEMOIR (SERAC still holds them),
// to apply again or remove; an edit that storage refuses is not kept in force either.
import { expect, test } from '@playwright/test';
import { compareEditors } from './compare';
import { applyEdit, openEditView } from './edit';
import { probeBaseVsMemoir } from './probe';
import { overwriteStoredField } from './storage';

test('a model that fails to load is reported and the previous model stays usable', async ({ page }) => {
  await page.goto('/models?sw=off');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  await page.getByRole('combobox', { name: 'Hub repo id' }).fill('no-such-owner/no-such-model');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('model-error')).toContainText('no-such-owner/no-such-model', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('model-error')).toContainText('LOAD');
  await expect(page.getByText('Still loaded')).toBeVisible();
  await expect(page.getByTestId('model-card')).toContainText('editscope-facts');

  await page.getByRole('link', { name: 'Probe' }).click();
  await page.getByRole('textbox', { name: 'Prompt' }).fill('The capital of Japan is');
  await page.getByRole('spinbutton').first().fill('5');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('completion')).toContainText('Tokyo', { timeout: 60_000 });
});

test('an edit with an empty answer cannot be applied and says why', async ({ page }) => {
  await page.goto('/edit?sw=off');
  await page.getByRole('textbox', { name: 'New answer' }).fill('   ');
  await expect(page.getByText('Type the new answer.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeDisabled();
});

test('a corrupt stored memory is reported, and the stored edit still holds', async ({ page }) => {
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');

  // The memory record no longer holds a Wm.
  const memories = await overwriteStoredField(page, 'memoirMemory', 'wm', 'overwritten');
  expect(memories).toEqual([expect.stringContaining('editscope-facts')]);

  await page.reload();
  await expect(page.getByText(/MEMOIR memory of .*editscope-facts was missing or unreadable/)).toBeVisible({
    timeout: 120_000,
  });
  await expect(page.getByTestId('edit-list')).toContainText('The capital of France is');
  await page.screenshot({ path: 'test-results/edit-corrupt-memory.png', fullPage: true });
  const probe = await probeBaseVsMemoir(page, 'The capital of France is');
  expect(probe.base).toContain('Paris');
  expect(probe.edited).toContain('Rome');
  expect(probe.routing).toContain('memory ON');
});

test('edits whose trained change is unreadable are not in force, and can be applied again or removed', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');
  await applyEdit(page, 'The capital of Japan is', 'Lima');

  // Both edits' MEMOIR records (mask and delta) lose their delta; the prompts and answers stay readable.
  expect(await overwriteStoredField(page, 'memoirEdits', 'delta', 'lost')).toHaveLength(2);

  await page.reload();
  const notInForce = page.getByTestId('not-in-force');
  await expect(notInForce).toContainText('The capital of France is', { timeout: 120_000 });
  await expect(notInForce).toContainText('The capital of Japan is');
  await expect(page.getByText(/the 2 left out have no effect/)).toBeVisible();
  await expect(page.getByText('No edits yet')).toBeVisible();
  await page.screenshot({ path: 'test-results/edit-not-in-force.png', fullPage: true });
  // MEMOIR lost what training changed; SERAC, whose memory is the edit's text, still holds the edit.
  await page.getByRole('link', { name: 'Compare' }).click();
  const lost = await compareEditors(page, 'The capital of Japan is');
  expect(lost.memoir).toContain('Tokyo');
  expect(lost.serac).toContain('Lima');
  await page.getByRole('link', { name: 'Edit', exact: true }).click();

  await page.getByRole('button', { name: 'Apply again The capital of France is' }).click();
  await expect(page.getByTestId('training-done')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('edit-list')).toContainText('The capital of France is');
  await page.getByRole('button', { name: 'Remove The capital of Japan is' }).click();
  await expect(notInForce).toHaveCount(0);

  // After a reload the store is whole again: no notice, France → Rome in force, Japan's edit gone.
  await page.reload();
  await expect(page.getByTestId('edit-list')).toContainText('The capital of France is', { timeout: 120_000 });
  await expect(page.locator('.notice.warn')).toHaveCount(0);
  await expect(page.getByTestId('edit-list')).not.toContainText('Japan');
  const france = await probeBaseVsMemoir(page, 'The capital of France is');
  expect(france.edited).toContain('Rome');
  const japan = await probeBaseVsMemoir(page, 'The capital of Japan is');
  expect(japan.edited).toContain('Tokyo');
  await page.getByRole('link', { name: 'Compare' }).click();
  expect((await compareEditors(page, 'The capital of Japan is')).serac).toContain('Tokyo');
});

test('an edit that storage refuses is reported and leaves the model as it was', async ({ page }) => {
  await openEditView(page);
  // A full disk, as the engine worker meets it: every IndexedDB write from now on is refused.
  const [engine] = page.workers();
  await engine.evaluate(() => {
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
    };
  });
  await page.getByRole('textbox', { name: 'Edit prompt' }).fill('The capital of France is');
  await page.getByRole('textbox', { name: 'New answer' }).fill('Rome');
  await page.getByRole('button', { name: 'Apply edit' }).click();
  await expect(page.getByText(/Edit failed \(STORAGE\): memoir: the change could not be stored/)).toBeVisible(
    {
      timeout: 180_000,
    },
  );
  await expect(page.getByText('No edits yet')).toBeVisible();
  const probe = await probeBaseVsMemoir(page, 'The capital of France is');
  expect(probe.edited).toContain('Paris');
  expect(probe.routing).not.toContain('memory ON');
});
