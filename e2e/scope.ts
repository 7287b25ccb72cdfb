// What a person does in the Scope view: type probes into its groups (one prompt per line), run them
// against the chosen stored edit, and wait for the results grid.
import { expect, type Page } from '@playwright/test';

/** The groups' text boxes, by their labels in the Scope view. */
export interface ScopeProbes {
  reach?: string; // Should take the new answer
  related?: string; // Must keep their answer
  unrelated?: string; // Unrelated text
}

/** Fills the given groups (from the view that is open, or after going to Scope) and probes. */
export async function probeScope(page: Page, probes: ScopeProbes, timeout = 120_000): Promise<void> {
  const boxes = [
    ['Should take the new answer', probes.reach],
    ['Must keep their answer', probes.related],
    ['Unrelated text', probes.unrelated],
  ] as const;
  for (const [name, text] of boxes) {
    if (text !== undefined) await page.getByRole('textbox', { name }).fill(text);
  }
  await page.getByRole('button', { name: 'Probe scope' }).click();
  await expect(page.getByTestId('scope-results')).toBeVisible({ timeout });
}
