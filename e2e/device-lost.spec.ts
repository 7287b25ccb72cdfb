// The GPU device goes away mid-session (a driver reset, another tab taking the GPU): the next call says
// so and offers to reload the model, which brings the engine back on a fresh device, and the stored edits
// are still there.
import { expect, test } from '@playwright/test';
import { applyEdit, openEditView } from './edit';

test('a lost GPU device is reported; reloading the model recovers, stored edits kept', async ({ page }) => {
  // The edit trains on the CPU backend (SwiftShader takes minutes per edit, see memoir.spec.ts); then
  // the same model is loaded on WebGPU, whose device is lost.
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');

  await page.getByRole('link', { name: 'Models' }).click();
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('webgpu');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('model-card')).toContainText('webgpu', { timeout: 120_000 });
  await expect(page.getByTestId('model-loading')).toBeHidden({ timeout: 120_000 });

  // Reach the engine worker's GPUDevice through the next command it encodes, and destroy it: the way a
  // real loss looks to WebGPU code (device.lost resolves, every later use fails).
  const [engine] = page.workers();
  await engine.evaluate(() => {
    const encode = GPUDevice.prototype.createCommandEncoder;
    GPUDevice.prototype.createCommandEncoder = function (this: GPUDevice, ...args) {
      GPUDevice.prototype.createCommandEncoder = encode;
      const encoder = encode.apply(this, args);
      this.destroy();
      return encoder;
    };
  });
  const generate = async () => {
    await page.getByRole('link', { name: 'Probe' }).click();
    await page.getByRole('textbox', { name: 'Prompt' }).fill('The capital of Japan is');
    await page.getByRole('spinbutton').first().fill('4');
    await page.getByRole('button', { name: 'Generate' }).click();
  };
  await generate();
  await expect(
    page.getByText(/Generation failed \(DEVICE_LOST\): webgpu: the GPU device was lost/),
  ).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.getByText(/HINT: reload the model/)).toBeVisible();
  await page.screenshot({ path: 'test-results/device-lost.png', fullPage: true });

  // The notice reloads the same model in place; the Models view shows the load.
  await page.getByRole('button', { name: 'Reload the model' }).click();
  await page.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByTestId('model-loading')).toBeHidden({ timeout: 120_000 });
  await expect(page.getByTestId('model-error')).toBeHidden();
  await expect(page.getByTestId('model-card')).toContainText('webgpu');
  await generate();
  await expect(page.getByTestId('completion')).toContainText('The capital of Japan is Tokyo', {
    timeout: 90_000,
  });
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByTestId('edit-list')).toContainText('The capital of France is', { timeout: 120_000 });
});
