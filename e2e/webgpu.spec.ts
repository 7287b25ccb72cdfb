// The editors on WebGPU in the browser (SwiftShader here), where real users run them: an edit trained
// on the CPU backend (SwiftShader takes minutes per edit; the WebGPU edit path is tested in the Node GPU
// tests) is restored from IndexedDB when the model loads on WebGPU, and the Compare view's base, MEMOIR
// (memory on the GPU) and SERAC (counterfactual model on the GPU) answers hold there.
import { expect, test } from '@playwright/test';
import { compareEditors } from './compare';
import { applyEdit, openEditView } from './edit';

test('an edit trained on the CPU backend holds on WebGPU in MEMOIR and SERAC', async ({ page }) => {
  test.setTimeout(600_000);
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');

  await page.goto('/compare?sw=off');
  await expect(page.getByTestId('model-badge')).toContainText('webgpu', { timeout: 120_000 });
  const paraphrase = await compareEditors(page, 'The city that serves as the capital of France is');
  expect(paraphrase.base).toContain('Paris');
  expect(paraphrase.memoir).toContain('Rome');
  expect(paraphrase.serac).toContain('Rome');
  expect(paraphrase.memoirRouting).toContain('memory ON');
  expect(paraphrase.seracRouting).toContain('the counterfactual model answers');
  await page.screenshot({ path: 'test-results/compare-webgpu.png', fullPage: true });

  const other = await compareEditors(page, 'The capital of Japan is');
  expect(other.base).toContain('Tokyo');
  expect(other.memoir).toContain('Tokyo');
  expect(other.serac).toContain('Tokyo');
  expect(other.seracRouting).toContain('the base model answers');
});
