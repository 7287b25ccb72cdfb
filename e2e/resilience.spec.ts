// Bad content stays inside the view it came in with: a hostile model card (4.9 kB nesting 5,000 block
// quotes, which overflowed the renderer and blanked the whole app) is refused in place of the card; a
// view that fails to render (its code chunk cannot be fetched) says so with a way back while the header,
// the other views and the stored edits keep working.
import { expect, test } from '@playwright/test';

const HOSTILE_CARD = `---\nlicense: mit\n---\n# A card\n\n${'>'.repeat(5000)} deep`;

test('a hostile model card is refused with the reason, and the app stays usable', async ({ page }) => {
  await page.route('**/models/editscope-facts/README.md', (route) =>
    route.fulfill({ status: 200, contentType: 'text/markdown', body: HOSTILE_CARD }),
  );
  await page.goto('/models?backend=cpu&sw=off');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  const readme = page.getByTestId('model-readme');
  await readme.locator('summary').click();
  await expect(page.getByTestId('card-refused')).toHaveText(
    'This model card is not shown: it nests block quotes or lists 5,000 levels deep, above the 32 this app renders.',
  );
  await page.getByRole('link', { name: 'Probe' }).click();
  await page.getByRole('textbox', { name: 'Prompt' }).fill('The capital of Japan is');
  await page.getByRole('spinbutton').first().fill('5');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('completion')).toContainText('Tokyo', { timeout: 60_000 });
});

test('a view that fails to render shows what failed and a way back; the rest keeps working', async ({
  page,
}) => {
  await page.route('**/assets/ModelReadme-*.js', (route) => route.abort());
  await page.goto('/about?backend=cpu&sw=off');
  await page.getByRole('link', { name: 'Models' }).click();
  const failed = page.getByTestId('view-failed');
  await expect(failed).toContainText('The Models view failed to show:', { timeout: 120_000 });
  await expect(failed).toContainText('Your stored edits are not affected');
  await expect(failed.getByRole('button', { name: 'Try again' })).toBeVisible();

  await failed.getByRole('button', { name: 'Go back' }).click();
  await expect(page.getByRole('heading', { name: 'About', exact: false }).first()).toBeVisible();
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByText('No edits yet')).toBeVisible();
});
