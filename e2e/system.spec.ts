// A new user opens the app: the System view shows the WebGPU adapter and the engine worker's
// matmul, verified against the CPU reference. The expected checksum is recomputed here in Node.
import { expect, test } from '@playwright/test';
import { selfTestInputs } from '../src/engine/selftest';
import { SELFTEST_DIMS } from '../src/features/system/hooks/useSystemReport';

function expectedChecksum(): number {
  const { m, k, n } = SELFTEST_DIMS;
  const { inp, weight } = selfTestInputs(SELFTEST_DIMS);
  let total = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let c = 0; c < k; c++) dot += inp[i * k + c] * weight[j * k + c];
      total += Math.fround(dot);
    }
  return total;
}

test('System view shows the adapter and a verified worker matmul', async ({ page }) => {
  await page.goto('/system?sw=off');
  await expect(page.getByRole('heading', { name: 'This browser' })).toBeVisible();
  const adapter = page.getByTestId('adapter');
  await expect(adapter).toContainText('Fallback (software) adapter');
  await expect(page.getByTestId('isolated')).toHaveText('yes');

  await expect(page.getByTestId('selftest-status')).toContainText('Verified', { timeout: 90_000 });
  await expect(page.getByTestId('selftest-backend')).toHaveText('webgpu');
  const shown = Number(await page.getByTestId('selftest-checksum').textContent());
  expect(Math.abs(shown - expectedChecksum())).toBeLessThan(1e-3);
  await page.screenshot({ path: 'test-results/system-view.png', fullPage: true });
});

test('navigation reaches every view and the URL names it', async ({ page }) => {
  await page.goto('/about?sw=off');
  await expect(page.getByRole('heading', { name: 'About Editscope' })).toBeVisible();
  await page.getByRole('link', { name: 'System' }).click();
  await expect(page).toHaveURL(/\/system/);
  await expect(page.getByRole('heading', { name: 'This browser' })).toBeVisible();
});
