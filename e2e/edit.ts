// What a person does in the Edit view: open it once the model is ready, and add a MEMOIR edit (type the
// prompt and the new answer, apply, and wait for the training to finish and the edit to be listed).
import { expect, type Page } from '@playwright/test';

export async function applyEdit(page: Page, prompt: string, answer: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Edit prompt' }).fill(prompt);
  await page.getByRole('textbox', { name: 'New answer' }).fill(answer);
  await page.getByRole('button', { name: 'Apply edit' }).click();
  await expect(page.getByTestId('training-done')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('edit-list')).toContainText(prompt);
}

/** The Edit view of the bundled model on the CPU backend (training an edit on SwiftShader takes
 *  minutes) with no service worker, once the model is loaded and an edit can be applied. */
export async function openEditView(page: Page): Promise<void> {
  await page.goto('/edit?backend=cpu&sw=off');
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeEnabled({ timeout: 120_000 });
}
