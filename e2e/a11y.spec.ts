// Accessible and readable (#21): axe-core finds no serious or critical violation on any view (with the
// bundled model loaded on the CPU backend and one stored edit, so the lists, tables and plots render), the
// views are reachable from the navigation by keyboard alone with a visible focus, and the presentation
// mode enlarges the text and is remembered across a reload. Not a screen-reader test.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { VIEWS, type ViewId } from '../src/app/routes';
import { applyEdit, openEditView } from './edit';
import { probeScope } from './scope';

/** The axe rules checked: WCAG 2 A and AA, and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const FAILING = new Set(['serious', 'critical']);

async function openView(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: title }).click();
  await expect(page.locator('main h2').first()).toBeVisible();
  // Let the view settle (lists read from IndexedDB, plots drawn) before axe reads it.
  await page.waitForLoadState('networkidle');
}

/** What a view shows only after an action, done before axe reads it: a completion, scope verdicts. */
const PREPARE: Partial<Record<ViewId, (page: Page) => Promise<void>>> = {
  probe: async (page) => {
    await page.getByRole('spinbutton').first().fill('4');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByTestId('completion-stats')).toBeVisible({ timeout: 90_000 });
  },
  scope: async (page) => {
    await page.getByRole('button', { name: 'Suggest probes' }).click();
    await expect(page.getByRole('textbox', { name: 'Unrelated text' })).not.toHaveValue('');
    await probeScope(page, {}); // the suggested probes
  },
};

test('axe reports no serious or critical violation on any view', async ({ page }) => {
  test.setTimeout(500_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');

  const failures: string[] = [];
  for (const { id, title } of VIEWS) {
    await openView(page, title);
    await PREPARE[id]?.(page);
    // Both colour schemes: app.css sets its own colours for each, so contrast is checked in each.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      const counts: Record<string, number> = {};
      for (const v of violations) {
        counts[v.impact ?? 'none'] = (counts[v.impact ?? 'none'] ?? 0) + v.nodes.length;
        const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
        const nodes =
          v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ') + more;
        const line = `${title} (${colorScheme}): ${v.id} (${v.impact}) ${nodes}`;
        console.log(line);
        if (FAILING.has(v.impact ?? '')) failures.push(line);
      }
      console.log(`${title} (${colorScheme}): nodes by impact ${JSON.stringify(counts)}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    if (['edit', 'scope', 'memory', 'benchmark'].includes(id))
      await page.screenshot({ path: `test-results/a11y-${id}.png`, fullPage: true });
  }
  expect(failures, failures.join('\n')).toEqual([]);
});

/** Presses Tab until the focused element's text is `name` (at most `limit` times). */
async function tabTo(page: Page, name: string, limit = 30): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (text === name) return;
  }
  throw new Error(`tabTo: no focusable element named "${name}" within ${limit} Tab presses`);
}

/** The focused element's outline, which app.css draws 3px solid on :focus-visible (Chromium's own
 *  ring is `auto 1px`, so this tells the app's focus style from the browser's). */
async function expectFocusRing(page: Page): Promise<void> {
  const { style, width } = await page.evaluate(() => {
    const css = getComputedStyle(document.activeElement!);
    return { style: css.outlineStyle, width: parseFloat(css.outlineWidth) };
  });
  expect(style).toBe('solid');
  expect(width).toBeGreaterThanOrEqual(2);
}

test('the keyboard alone reaches every view, with a visible focus', async ({ page }) => {
  await page.goto('/about?sw=off&model=none');
  await expect(page.locator('main h2').first()).toBeVisible();

  // The first Tab lands on the skip link, which moves the focus into the main content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  await page.locator('body').focus();
  for (const { id, title } of VIEWS) {
    await tabTo(page, title);
    await expectFocusRing(page);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/${id}\\?`));
    await expect(page.getByRole('link', { name: title, exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
  }

  await page.goto('/probe?sw=off&model=none');
  await page.getByRole('textbox', { name: 'Prompt' }).focus();
  await expectFocusRing(page);
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toBeVisible();
  await tabTo(page, 'Presentation');
  await expectFocusRing(page);
});

test('the presentation mode enlarges the text and is remembered across a reload', async ({ page }) => {
  await page.goto('/probe?sw=off&model=none');
  const rootFontSize = () =>
    page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const toggle = page.getByRole('button', { name: 'Presentation' });
  const normal = await rootFontSize();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');

  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await rootFontSize()).toBeGreaterThanOrEqual(normal * 1.25);

  await page.reload();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await rootFontSize()).toBeGreaterThanOrEqual(normal * 1.25);
  await page.screenshot({ path: 'test-results/presentation.png', fullPage: true });

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await rootFontSize()).toBe(normal);
});
