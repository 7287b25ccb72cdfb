// Sharing an edit set as a URL: one person shares their edits, another opens the link in a fresh
// browser profile, sees what it carries, imports it (the edits are trained there) and gets the same
// answers; a broken or hostile link says why in a few words and leaves the stored edits alone, and an
// older link without a checksum still opens, marked as unchecked.
import { expect, test } from '@playwright/test';
import { v1Link, v2Link, zeroBomb } from '../src/share/test-links';
import { applyEdit, openEditView } from './edit';

test('share edits as a link, import them elsewhere, reject a broken link', async ({ page, browser }) => {
  test.setTimeout(400_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');
  await page.getByRole('button', { name: 'Share these edits' }).click();
  const link = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  expect(link).toMatch(/\/edit#edits=2\.[A-Za-z0-9_-]+$/);

  // Someone else, with an empty memory, opens the link (on the CPU backend, as everywhere in e2e).
  const other = await (await browser.newContext()).newPage();
  await other.goto(link.replace('/edit#', '/edit?sw=off&backend=cpu#'));
  const offer = other.getByTestId('share-incoming');
  await expect(offer).toContainText('This link carries 1 MEMOIR edit made on /models/editscope-facts');
  await expect(offer).toContainText('“The capital of France is” → “Rome”');
  await expect(other.getByTestId('share-unchecked')).toHaveCount(0);
  await expect(other.getByText('No edits yet')).toBeVisible({ timeout: 120_000 });
  await other.getByRole('button', { name: 'Import: train 1 edit' }).click();
  await expect(other.getByTestId('training-done')).toContainText('Edit 1 of 1', { timeout: 180_000 });
  await expect(other.getByTestId('edit-list')).toContainText('The capital of France is');
  expect(other.url()).not.toContain('#edits=');

  await other.getByRole('link', { name: 'Probe' }).click();
  await other.getByRole('textbox', { name: 'Prompt' }).fill('The capital of France is');
  await other.getByRole('button', { name: 'Base vs MEMOIR' }).click();
  await expect(other.getByTestId('memoir-output')).toContainText('Rome', { timeout: 60_000 });

  // Broken and hostile links: a short reason, nothing imported. Each opens the page afresh (`n=`), since
  // a change of fragment alone does not reload it.
  const open = (n: number, fragment: string) => other.goto(`/edit?sw=off&backend=cpu&n=${n}#${fragment}`);
  const invalid = other.getByTestId('share-invalid');
  const flipped = link.slice(0, -20) + (link.at(-20) === 'A' ? 'B' : 'A') + link.slice(-19);
  const model = '/models/editscope-facts';
  const hostile = (prompt: string) =>
    v2Link({ version: 2, method: 'memoir', model, edits: [{ prompt, target: ' x' }] });
  const cases: [string, RegExp][] = [
    ['edits=AAAA', /damaged or cut short/],
    [flipped.slice(flipped.indexOf('#') + 1), /damaged/],
    [hostile('The capital of \u202eecnarF is'), /edit 1's prompt has a bidi control \(U\+202E\)/],
    [`edits=2.${'A'.repeat(600_000)}`, /600,008 characters long.*backup file/],
    // Under the size cap but ~390 MB inflated: Chromium's DecompressionStream is read only to 1 MiB.
    [v2Link(' ', zeroBomb(375)), /unpacks to over 1 MiB/],
  ];
  for (const [i, [fragment, reason]] of cases.entries()) {
    await open(i, fragment);
    await expect(invalid).toContainText('This share link is broken:');
    await expect(invalid).toContainText(reason);
    expect((await invalid.textContent())!.length).toBeLessThan(300);
  }

  // A format 1 link (before checksums) opens, saying it could not be checked.
  const old = {
    version: 1,
    method: 'memoir',
    model,
    edits: [{ prompt: 'The capital of Peru is', target: ' Oslo' }],
  };
  await open(cases.length, v1Link(old));
  await expect(other.getByTestId('share-unchecked')).toContainText('no integrity check');
  await other.getByRole('button', { name: 'Dismiss' }).click();
  await expect(other.getByTestId('share-incoming')).toHaveCount(0);

  // The stored edit is untouched by all of it.
  await expect(other.getByTestId('edit-list')).toContainText('The capital of France is', {
    timeout: 120_000,
  });
  await expect(other.getByTestId('edit-list')).not.toContainText('Peru');
});
