// What a person does in the Edit view to add a MEMOIR edit: type the prompt and the new answer, apply,
// and wait for the training to finish and the edit to be listed.
import { expect, type Page } from '@playwright/test';

export async function applyEdit(page: Page, prompt: string, answer: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Edit prompt' }).fill(prompt);
  await page.getByRole('textbox', { name: 'New answer' }).fill(answer);
  await page.getByRole('button', { name: 'Apply edit' }).click();
  await expect(page.getByTestId('training-done')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('edit-list')).toContainText(prompt);
}
