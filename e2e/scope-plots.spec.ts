// The Scope view's plots and what-if τ: after one edit and a few probes, moving the τ slider moves τ's
// line in the strip plot and relabels the probes without running the model again (a paraphrase above τ
// falls below it: memory off, the base's answer, ✗). Also times slider input → redrawn DOM in the page.
import { expect, test, type Page } from '@playwright/test';
import { applyEdit, openEditView } from './edit';
import { probeScope } from './scope';

/** Moves the τ slider 20 times in the page and times each input event until it returns: React commits
 *  discrete input and runs its effects (the plots' redraw) before then, which `drawn` checks. */
async function sliderRedrawMs(page: Page): Promise<{ median: number; max: number }> {
  const timings = await page.evaluate(() => {
    const slider = document.querySelector<HTMLInputElement>('.gate-slider input[type=range]')!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    return Array.from({ length: 20 }, (_, i) => {
      const value = String((i + 1) / 20);
      const t0 = performance.now();
      setValue.call(slider, value);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      const ms = performance.now() - t0;
      return { ms, drawn: document.querySelector(`line[aria-label="τ = ${Number(value)}"]`) !== null };
    });
  });
  expect(timings.every((t) => t.drawn)).toBe(true);
  const ms = timings.map((t) => t.ms).sort((a, b) => a - b);
  return { median: ms[10], max: ms[19] };
}

test('moving τ moves its line and relabels a probe', async ({ page }) => {
  test.setTimeout(300_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');

  await page.getByRole('link', { name: 'Scope' }).click();
  await probeScope(
    page,
    { reach: 'The city that serves as the capital of France is', related: 'The capital of Japan is' },
    180_000,
  );

  const strip = page.getByTestId('scope-strip-memoir-reach');
  const paraphrase = page.getByTestId('scope-group-reach').getByRole('row').nth(1);
  const dot = strip.locator('circle title');
  await expect(paraphrase.getByRole('cell').nth(3)).toHaveText('ON');
  await expect(paraphrase.getByRole('cell').nth(5)).toHaveText('✓');
  await expect(dot).toContainText('(fires for this edit)');
  const tau = Number(await page.getByRole('slider', { name: 'What-if τ (MEMOIR)' }).inputValue());
  const line = strip.locator(`line[aria-label="τ = ${tau}"]`);
  const x1 = await line.getAttribute('x1');

  // τ = 1: above the paraphrase's overlap, so the memory stays off and the base answers.
  await page.getByRole('slider', { name: 'What-if τ (MEMOIR)' }).fill('1');
  const moved = strip.locator('line[aria-label="τ = 1"]');
  await expect(moved).toHaveCount(1);
  expect(Number(await moved.getAttribute('x1'))).toBeGreaterThan(Number(x1));
  await expect(paraphrase.getByRole('cell').nth(3)).toHaveText('off');
  await expect(paraphrase.getByRole('cell').nth(4)).toHaveText(
    await paraphrase.getByRole('cell').nth(1).innerText(),
  );
  await expect(paraphrase.getByRole('cell').nth(5)).toHaveText('✗');
  await expect(dot).toContainText('< τ 1 (does not fire)');
  await expect(page.getByTestId('scope-summary-reach')).toContainText('MEMOIR: 0 of 1 take the new answer.');
  // Nothing stored: the run's τ is one click away and "Use this τ" is offered.
  await expect(page.getByRole('button', { name: `Back to the run's τ (${tau})` })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Use this τ' })).toBeEnabled();
  await page.screenshot({ path: 'test-results/scope-plots-tau.png', fullPage: true });

  // τ = 0: every probe's best match fires; Japan's answer with the memory on was never computed.
  await page.getByRole('slider', { name: 'What-if τ (MEMOIR)' }).fill('0');
  const japan = page.getByTestId('scope-group-related').getByRole('row').nth(1);
  await expect(japan.getByRole('cell').nth(3)).toHaveText('ON');
  await expect(japan.getByRole('cell').nth(5)).toHaveText('?');

  const ms = await sliderRedrawMs(page);
  console.log(
    `slider input → redrawn, 2 probes: median ${ms.median.toFixed(1)} ms, max ${ms.max.toFixed(1)} ms`,
  );
});

test('relabel time with 100 probes', async ({ page }) => {
  test.setTimeout(600_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');
  await page.getByRole('link', { name: 'Scope' }).click();
  const lines = (n: number, text: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => text(i)).join('\n');
  await probeScope(
    page,
    {
      reach: lines(20, (i) => `Fact ${i + 1}: the capital of France is`),
      related: lines(40, (i) => `Fact ${i + 1}: the capital of Japan is`),
      unrelated: lines(40, (i) => `Line ${i + 1} of the story:`),
    },
    500_000,
  );
  await expect(page.getByTestId('scope-strip-memoir-unrelated').locator('circle')).toHaveCount(40);
  const ms = await sliderRedrawMs(page);
  console.log(
    `slider input → redrawn, 100 probes: median ${ms.median.toFixed(1)} ms, max ${ms.max.toFixed(1)} ms`,
  );
  await page.screenshot({ path: 'test-results/scope-plots-100.png', fullPage: true });
});
