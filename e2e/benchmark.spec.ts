// The Benchmark view as a class would use it: run MEMOIR on the first records of the bundled facts
// benchmark, watch the phases go by, read Rel/Gen/Loc (and Loc per kind of prompt) and the same memory
// re-measured along a sweep of its gate τ; cancel a run; run SERAC on the same records, with its sweep of
// the scope threshold; and find the stored edits as they were, since both use a scratch memory.
import { expect, test, type Page } from '@playwright/test';
import { applyEdit, openEditView } from './edit';

/** The gate sweep's rows (header included), and its row at the run's own gate equal to the run's metrics. */
async function expectGateSweep(page: Page, rows: number, ownGate: string) {
  await expect(page.getByTestId('benchmark-gate-sweep').getByRole('row')).toHaveCount(rows);
  const atOwnGate = page.getByTestId('gate-current').getByRole('cell');
  await expect(atOwnGate.first()).toHaveText(`${ownGate} (this run)`);
  const metrics = page.getByTestId('benchmark-metrics');
  for (const row of [1, 2, 3]) {
    const value = await metrics.getByRole('row').nth(row).getByRole('cell').nth(1).textContent();
    await expect(atOwnGate.nth(row)).toHaveText(value ?? '');
  }
}

test('run the facts benchmark in the browser with both editors, cancel a run, stored edits untouched', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');

  await page.getByRole('link', { name: 'Benchmark' }).click();
  await page.getByRole('spinbutton', { name: 'Edits (T)' }).fill('2');
  await page.getByRole('spinbutton', { name: 'Records measured' }).fill('2');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('benchmark-progress')).toContainText(/Editing record \d of 2/, {
    timeout: 120_000,
  });
  const metrics = page.getByTestId('benchmark-metrics');
  await expect(metrics).toBeVisible({ timeout: 240_000 });
  await page.screenshot({ path: 'test-results/benchmark-view.png', fullPage: true });
  // Rel, Gen, Loc: a token accuracy in [0, 1] in the Value column.
  for (const row of [1, 2, 3]) {
    await expect(metrics.getByRole('row').nth(row).getByRole('cell').nth(1)).toHaveText(/^[01]\.\d\d$/);
  }
  await expect(metrics.getByRole('row').nth(1)).toContainText('Reliability (Rel)');
  // The bundled locality prompts are of two kinds (DESIGN §6), each with its own Loc.
  for (const kind of ['fact', 'text']) {
    await expect(page.getByTestId(`loc-${kind}`).getByRole('cell').nth(1)).toHaveText(/^[01]\.\d\d$/);
  }
  await expect(
    page.getByText(/2 edits applied one after another by MEMOIR .*\(gate τ 0\.53\)/),
  ).toBeVisible();
  // The gate sweep: 11 τ from .3 to .8 and the app's τ .53; at the memory's own τ it is the run above,
  // metric for metric.
  await expectGateSweep(page, 13, '0.53');
  // The bundled records name their relations: the first two are a capital and a US state capital.
  const byRelation = page.getByTestId('benchmark-by-relation');
  await expect(byRelation.getByRole('row')).toHaveCount(3);
  await expect(byRelation).toContainText('state_capital');

  await page.getByRole('spinbutton', { name: 'Edits (T)' }).fill('3');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('benchmark-progress')).toContainText('Editing record 1 of 3', {
    timeout: 120_000,
  });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Cancelled; nothing was stored.')).toBeVisible({ timeout: 60_000 });

  // The same records with SERAC: its two models load, the edits are stored, not trained.
  await page.getByRole('combobox', { name: 'Editor' }).selectOption('serac');
  await page.getByRole('spinbutton', { name: 'Edits (T)' }).fill('2');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByText(/2 edits applied one after another by SERAC/)).toBeVisible({
    timeout: 240_000,
  });
  await expect(page.getByText(/Storing the edits took [\d.]+ s \(SERAC trains nothing\)/)).toBeVisible();
  await expect(page.getByText(/by SERAC .*\(scope threshold 0\.94\)/)).toBeVisible();
  // Its threshold sweep: 11 thresholds from .1 to .99 and the scope model's own .94.
  await expectGateSweep(page, 13, '0.94');
  for (const row of [1, 2, 3]) {
    await expect(metrics.getByRole('row').nth(row).getByRole('cell').nth(1)).toHaveText(/^[01]\.\d\d$/);
  }
  await page.screenshot({ path: 'test-results/benchmark-serac.png', fullPage: true });

  // The benchmark's first record edited "The seat of government of South Africa is in" → Apia in the
  // scratch memory; the user's memory still holds only their own edit.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  const list = page.getByTestId('edit-list');
  await expect(list).toContainText('The capital of France is');
  await expect(list).not.toContainText('South Africa');
});
