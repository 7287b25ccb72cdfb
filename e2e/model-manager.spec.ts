// The model manager as a new user sees it, without internet (#18 "done when"): a stand-in hub serves
// a tiny Qwen3-shaped and a tiny Llama-3.2-shaped (llama3 RoPE, tied, with a chat template) random
// checkpoint under the known models' repo ids. Choose from the list (sizes shown), load (files from
// the network), load again (from the cache, no second download), chat with the instruct one (the
// template's markers are in what Probe sent), apply a MEMOIR edit (its own prompt takes the new
// answer: what MEMOIR guarantees, even on a random model), delete a cached model and see it gone,
// then all of them (after a confirmation).
import { expect, test, type Page } from '@playwright/test';
import { KNOWN_MODELS } from '../src/models/registry';
import { formatBytes, knownModelSizes } from '../src/features/models/known-sizes';
import { applyEdit } from './edit';
import { probeBaseVsMemoir } from './probe';
import { LLAMA3_CHAT_TEMPLATE, serveHub, TINY_LLAMA32, TINY_QWEN3, tinyRepo } from './tiny-hub';

const QWEN = 'Qwen/Qwen3-0.6B';
const LLAMA = 'meta-llama/Llama-3.2-1B-Instruct';

async function loadKnown(page: Page, repo: string) {
  await page.getByRole('button', { name: `Choose ${repo}` }).click();
  await expect(page.getByRole('combobox', { name: 'Hub repo id' })).toHaveValue(repo);
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('model-card')).toContainText(repo, { timeout: 60_000 });
  return page.getByTestId('model-card').getByRole('row', { name: /Files/ });
}

test('choose, load, reload from the cache, chat, edit and delete known hub models', async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  const requested = await serveHub(context, {
    [QWEN]: tinyRepo(TINY_QWEN3, 1),
    [LLAMA]: tinyRepo(TINY_LLAMA32, 2, LLAMA3_CHAT_TEMPLATE),
  });
  await page.goto('/models?backend=cpu&sw=off');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 120_000 });
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');

  // The list: the published model's download and memory per precision; Llama is gated.
  const qwenSizes = knownModelSizes(
    KNOWN_MODELS.find((m) => m.repo === QWEN)!,
    null,
  );
  const qwenRow = page.locator(`tr[data-repo="${QWEN}"]`);
  await expect(qwenRow).toContainText(formatBytes(qwenSizes.downloadBytes));
  for (const f of qwenSizes.fits) await expect(qwenRow).toContainText(formatBytes(f.bytes));
  await expect(page.locator(`tr[data-repo="${LLAMA}"]`)).toContainText('gated');
  // ⚠ where this adapter's buffer limits refuse a precision: the engine's own check, cell by cell
  // (SwiftShader's 1 GiB limits take every known model: no ⚠ here; the unit test has a refusal).
  const limits = await page.evaluate(async () => {
    const gpu = navigator.gpu;
    const a = (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ forceFallbackAdapter: true }));
    return {
      maxBufferSize: a!.limits.maxBufferSize,
      maxStorageBufferBindingSize: a!.limits.maxStorageBufferBindingSize,
    };
  });
  const refused = KNOWN_MODELS.flatMap((m) =>
    knownModelSizes(m, limits)
      .fits.filter((f) => f.refusal)
      .map((f) => `${m.repo} ${f.precision}`),
  );
  const warned = await page
    .getByLabel(/too large for this adapter at/)
    .evaluateAll((marks) =>
      marks.map((w) => `${w.closest('tr')!.dataset.repo} ${w.getAttribute('aria-label')!.split(' at ')[1]}`),
    );
  expect(warned).toEqual(refused);

  // First load downloads; the second reads the cache and downloads nothing.
  const files = await loadKnown(page, QWEN);
  await expect(files).toContainText(/model\.safetensors [\d.]+ kB from network/);
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(files).toContainText(/model\.safetensors [\d.]+ kB from cache/, { timeout: 60_000 });
  await expect(files).toContainText('config.json');
  await expect(files).not.toContainText('from network');
  const weights = (repo: string) =>
    requested.filter((u) => u.includes(`/${repo}/resolve/main/model.safetensors`));
  expect(weights(QWEN)).toHaveLength(1);
  await page.screenshot({ path: 'test-results/model-manager.png', fullPage: true });

  // The instruct model chats: Probe sends the prompt in its template.
  await loadKnown(page, LLAMA);
  await page.getByRole('link', { name: 'Probe' }).click();
  await expect(page.getByTestId('chat-mode')).toBeChecked();
  await page.getByRole('textbox', { name: 'Prompt' }).fill('The capital of France is');
  await page.getByRole('spinbutton').first().fill('3');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('completion-stats')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('completion')).toContainText(
    '<|start_header_id|>user<|end_header_id|>\n\nThe capital of France is<|eot_id|><|start_header_id|>assistant<|end_header_id|>',
  );

  // A MEMOIR edit, trained on the raw prompt: that prompt now answers with the new answer.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByTestId('edit-prompt-form')).toContainText('trained on its prompt as raw text');
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeEnabled({ timeout: 60_000 });
  await applyEdit(page, 'The capital of France is', 'Rome');
  await page.getByRole('link', { name: 'Probe' }).click();
  await page.getByTestId('chat-mode').uncheck();
  const probe = await probeBaseVsMemoir(page, 'The capital of France is');
  expect(probe.edited).toContain('The capital of France is Rome');
  expect(probe.base).not.toContain('The capital of France is Rome');

  // Both are cached; deleting one leaves the other.
  await page.getByRole('link', { name: 'Models' }).click();
  const cached = page.getByTestId('cached-models');
  await expect(cached.locator(`li[data-model="${QWEN}"]`)).toBeVisible();
  await expect(cached.locator(`li[data-model="${LLAMA}"]`)).toContainText('model.safetensors');
  await cached.getByRole('button', { name: `Delete ${LLAMA}` }).click();
  await expect(cached.locator(`li[data-model="${LLAMA}"]`)).toHaveCount(0);
  await expect(cached.locator(`li[data-model="${QWEN}"]`)).toBeVisible();

  // Delete all asks first: dismissed, nothing goes; accepted, the cache is empty.
  page.once('dialog', (d) => void d.dismiss());
  await cached.getByRole('button', { name: 'Delete all cached models' }).click();
  await expect(cached.locator(`li[data-model="${QWEN}"]`)).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await cached.getByRole('button', { name: 'Delete all cached models' }).click();
  await expect(cached).toContainText('No hub model is cached.');
});
