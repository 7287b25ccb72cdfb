// A lesson link as a student opens it: a fresh browser profile, the teacher's note and edit, the edit
// trained into a scratch memory, and the scope grid of the teacher's probes with each one's expected
// behaviour and ✓/✗ for MEMOIR and SERAC; the student's own (empty) edit list stays empty.
import { expect, test } from '@playwright/test';
import { encodeLesson, type Lesson } from '../src/share/lesson';
import { applyEdit, openEditView } from './edit';
import { probeScope } from './scope';

/** The probes of scope.spec.ts, which both editors answer as expected after this one edit. */
const LESSON: Lesson = {
  kind: 'lesson',
  model: '/models/editscope-facts',
  note: 'France’s capital is now Rome: which questions follow, and which must not?',
  edits: [{ prompt: 'The capital of France is', target: ' Rome' }],
  probes: [
    { prompt: 'The city that serves as the capital of France is', group: 'reach', expect: 'new' },
    { prompt: 'In short, the capital city of France is', group: 'reach', expect: 'new' },
    { prompt: 'The capital of Japan is', group: 'related', expect: 'old' },
    { prompt: 'The capital of Germany is', group: 'related', expect: 'old' },
    { prompt: 'The currency of France is', group: 'related', expect: 'old' },
    { prompt: 'Call me', group: 'unrelated', expect: 'old' },
  ],
};

test('open a lesson link: note, scratch training, scope grid with verdicts, no stored edits', async ({
  browser,
}) => {
  test.setTimeout(400_000);
  const page = await (await browser.newContext()).newPage();
  await page.goto(`/lesson?backend=cpu&sw=off#${await encodeLesson(LESSON)}`);
  await expect(page.getByTestId('lesson-note')).toHaveText(LESSON.note);
  await expect(page.getByTestId('lesson-edits')).toContainText('“The capital of France is” → “Rome”');
  await expect(page.getByTestId('lesson-progress')).toBeVisible({ timeout: 120_000 });

  const results = page.getByTestId('lesson-results');
  await expect(results).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('lesson-summary')).toContainText(
    'MEMOIR: 6 of 6 probes as the lesson expects; SERAC: 6 of 6.',
  );
  for (const group of ['reach', 'related', 'unrelated']) {
    await expect(page.getByTestId(`lesson-strip-memoir-${group}`).locator('svg[aria-label]')).toBeVisible();
    await expect(page.getByTestId(`lesson-strip-serac-${group}`).locator('svg[aria-label]')).toBeVisible();
  }
  // Prompt, expected, base, overlap, MEMOIR, ✓/✗, scope score, SERAC, ✓/✗: one row per probe.
  const rows = results.locator('table.scope-table tbody tr');
  await expect(rows).toHaveCount(LESSON.probes.length);
  for (let i = 0; i < LESSON.probes.length; i++) {
    const cells = rows.nth(i).getByRole('cell');
    await expect(cells.nth(5)).toHaveText(/^[✓✗]$/);
    await expect(cells.nth(8)).toHaveText(/^[✓✗]$/);
  }
  const paraphrase = page.getByTestId('lesson-group-reach').locator('table.scope-table tbody tr').first();
  await expect(paraphrase.getByRole('cell').nth(1)).toHaveText('the new answer');
  await expect(paraphrase.getByRole('cell').nth(4)).toContainText('Rome');
  const japan = page.getByTestId('lesson-group-related').locator('table.scope-table tbody tr').first();
  await expect(japan.getByRole('cell').nth(4)).toContainText('Tokyo');
  await page.screenshot({ path: 'test-results/lesson.png', fullPage: true });

  // The lesson trained a scratch memory: the student's own edit list is as empty as it was.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByText('No edits yet')).toBeVisible({ timeout: 60_000 });

  // Without a lesson in the link, the Lesson view lists the built-in ones; each opens in place.
  await page.goto('/lesson?backend=cpu&sw=off');
  await page.getByTestId('lesson-list').getByRole('link', { name: 'General text' }).click();
  await expect(page.getByTestId('lesson-note')).toContainText(
    'general text should continue exactly as before',
  );
});

test('make a lesson link from the Scope view and open it elsewhere', async ({ page, browser }) => {
  test.setTimeout(400_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');
  await page.getByRole('link', { name: 'Scope' }).click();
  await probeScope(page, {
    reach: 'In short, the capital city of France is',
    related: 'The capital of Japan is',
  });
  await page.getByRole('textbox', { name: 'Lesson note' }).fill('Rome, not Paris');
  await page.getByRole('button', { name: 'Make a lesson link' }).click();
  const link = await page.getByRole('textbox', { name: 'Lesson link' }).inputValue();
  expect(link).toMatch(/\/lesson#lesson=2\.[A-Za-z0-9_-]+$/);

  const other = await (await browser.newContext()).newPage();
  await other.goto(link.replace('/lesson#', '/lesson?backend=cpu&sw=off#'));
  await expect(other.getByTestId('lesson-note')).toHaveText('Rome, not Paris');
  await expect(other.getByTestId('lesson-summary')).toContainText(
    'MEMOIR: 2 of 2 probes as the lesson expects',
    { timeout: 300_000 },
  );

  // Back where the France edit is stored: a lesson that edits Japan neither uses nor changes it.
  const japan: Lesson = {
    ...LESSON,
    note: 'Japan, not France',
    edits: [{ prompt: 'The capital of Japan is', target: ' Oslo' }],
    probes: [{ prompt: 'The capital of France is', group: 'related', expect: 'old' }],
  };
  await page.goto(`/lesson?backend=cpu&sw=off#${await encodeLesson(japan)}`);
  const france = page.getByTestId('lesson-group-related').locator('table.scope-table tbody tr').first();
  // Base, MEMOIR and SERAC in the lesson's scratch memory all answer Paris, as the base model does.
  await expect(france.getByRole('cell').nth(2)).toContainText('Paris', { timeout: 300_000 });
  await expect(france.getByRole('cell').nth(4)).toContainText('Paris');
  await expect(france.getByRole('cell').nth(7)).toContainText('Paris');
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  const list = page.getByTestId('edit-list');
  await expect(list).toContainText('The capital of France is', { timeout: 60_000 });
  await expect(list).not.toContainText('Japan');
});
