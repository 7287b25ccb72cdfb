// Edit files as published: in the Benchmark view, upload a small ZsRE file in EasyEdit's layout (one
// record malformed), see the detected format and the skipped record with its reason, run MEMOIR on it,
// and download the metrics as CSV; in the Edit view, import chosen records of such a file as MEMOIR edits
// and download the edit list in the same shape.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { openEditView } from './edit';

const zsre = JSON.parse(fs.readFileSync('tests/fixtures/edit-files/zsre.json', 'utf8')) as object[];

test('run the benchmark on an uploaded EasyEdit ZsRE file and download the metrics as CSV', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openEditView(page);
  await page.getByRole('link', { name: 'Benchmark' }).click();
  const records = [zsre[0], { ...zsre[1], alt: 7 }, zsre[2]];
  await page.getByLabel('Run on a file…').setInputFiles({
    name: 'zsre-tiny.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(records)),
  });
  const summary = page.getByTestId('edit-file-summary');
  await expect(summary).toContainText('zsre-tiny.json: EasyEdit / MEMOIR ZsRE: 2 record(s) kept, 1 skipped');
  await summary.getByText('Why 1 record(s) were skipped').click();
  await expect(page.getByTestId('edit-file-skipped')).toHaveText(
    'records[1].alt: must be a non-empty string, got number',
  );
  // T follows the file: its 2 records.
  await expect(page.getByRole('spinbutton', { name: 'Edits (T)' })).toHaveValue('2');
  await page.getByRole('button', { name: 'Run on zsre-tiny.json' }).click();
  const metrics = page.getByTestId('benchmark-metrics');
  await expect(metrics).toBeVisible({ timeout: 240_000 });
  await expect(page.getByText(/2 edits applied one after another by MEMOIR/)).toBeVisible();
  // ZsRE's loc prompts are Natural Questions: Loc of their own kind.
  await expect(page.getByTestId('loc-nq').getByRole('cell').nth(1)).toHaveText(/^[01]\.\d\d$/);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the metrics as CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('benchmark-zsre-tiny-memoir-T2-metrics.csv');
  const lines = fs.readFileSync(await file.path(), 'utf8').split('\r\n');
  expect(lines[0]).toBe('metric,value');
  expect(lines[1]).toMatch(/^Reliability \(Rel\),(0|1|0\.\d+)$/);
  expect(lines).toContain('Neighborhood,');
});

test('import chosen records of a ZsRE file as MEMOIR edits, then download the edit list as ZsRE', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openEditView(page);
  await page.getByLabel('Import an edit file (ZsRE, CounterFact)…').setInputFiles({
    name: 'zsre.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify([...zsre.slice(0, 2), { src: 'no answer' }])),
  });
  const offer = page.getByTestId('zsre-import');
  await expect(offer).toContainText('zsre.json: 2 edit(s) to choose from, 1 record(s) skipped');
  await offer.getByRole('checkbox', { name: /chemical symbol of Gold/ }).uncheck();
  await offer.getByRole('button', { name: 'Apply 1 as MEMOIR edits' }).click();
  await expect(page.getByTestId('training-done')).toBeVisible({ timeout: 180_000 });
  const list = page.getByTestId('edit-list');
  await expect(list).toContainText('What is the capital of France?');
  await expect(list).not.toContainText('Gold');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download these edits as EasyEdit ZsRE' }).click();
  const file = await download;
  expect(JSON.parse(fs.readFileSync(await file.path(), 'utf8'))).toEqual([
    { src: 'What is the capital of France?', alt: 'Lima' },
  ]);
});
