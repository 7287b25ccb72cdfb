// What a person does in the Compare view: type a prompt, compare, and read the three answers and the
// two editors' routing sentences.
import { expect, type Page } from '@playwright/test';

export async function compareEditors(page: Page, prompt: string) {
  await page.getByRole('textbox', { name: 'Prompt to compare' }).fill(prompt);
  await page.getByRole('button', { name: 'Compare editors' }).click();
  const result = page.getByTestId('editor-comparison');
  await expect(result).toBeVisible({ timeout: 120_000 });
  const text = async (id: string) => (await page.getByTestId(id).textContent()) ?? '';
  return {
    base: await text('compare-base'),
    memoir: await text('compare-memoir'),
    serac: await text('compare-serac'),
    memoirRouting: await text('compare-memoir-routing'),
    seracRouting: await text('compare-serac-routing'),
  };
}
