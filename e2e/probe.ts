// What a person does in the Probe view to see an edit's reach: type a prompt, run Base vs MEMOIR, and
// read the two answers, the routing sentence (best-matching edit, its overlap against τ) and the most
// likely next token of each.
import { expect, type Page } from '@playwright/test';

export async function probeBaseVsMemoir(page: Page, prompt: string) {
  await page.getByRole('link', { name: 'Probe' }).click();
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
  await page.getByRole('spinbutton').first().fill('5');
  await page.getByRole('button', { name: 'Base vs MEMOIR' }).click();
  await expect(page.getByTestId('compare')).toBeVisible({ timeout: 60_000 });
  return {
    base: (await page.getByTestId('base-output').textContent()) ?? '',
    edited: (await page.getByTestId('memoir-output').textContent()) ?? '',
    routing: (await page.getByTestId('routing').textContent()) ?? '',
    /** The most likely next token: [base token, its probability, MEMOIR's token, its probability]. */
    topNext: await page
      .getByTestId('next-tokens')
      .getByRole('row')
      .nth(1)
      .getByRole('cell')
      .allTextContents(),
  };
}
