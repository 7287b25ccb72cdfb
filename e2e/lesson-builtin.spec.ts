// The built-in lessons as the welcome page links to them: each opens in the browser, trains its edit in a
// scratch memory and shows its grid. Prints each lesson's summary (what the bundled model does on it).
import { expect, test } from '@playwright/test';
import { BUILT_IN_LESSONS } from '../src/share/lessons-builtin';

test('every built-in lesson opens and shows its grid', async ({ page }) => {
  test.setTimeout(400_000);
  for (const { id, hash, lesson } of BUILT_IN_LESSONS) {
    await page.goto(`/lesson?backend=cpu&sw=off&n=${id}#lesson=${hash}`);
    await expect(page.getByTestId('lesson-note')).toHaveText(lesson.note);
    const summary = page.getByTestId('lesson-summary');
    await expect(summary).toContainText(`of ${lesson.probes.length} probes as the lesson expects`, {
      timeout: 120_000,
    });
    await expect(page.getByTestId('lesson-results').locator('table.scope-table tbody tr')).toHaveCount(
      lesson.probes.length,
    );
    console.info(`built-in lesson ${id}: ${await summary.innerText()}`);
  }
});
