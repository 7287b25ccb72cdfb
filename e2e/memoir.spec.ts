// MEMOIR as a new user meets it, offline after a first visit: edit a fact, see the new answer on the
// edit prompt and on a held-out paraphrase, other facts unchanged, the edit still in force after a
// reload, a stricter gate τ that keeps the paraphrase out (and is kept over a reload), and the edit gone
// after deletion; deleting all edits at once.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { applyEdit, openEditView } from './edit';
import { probeBaseVsMemoir } from './probe';
import { reloadOffline } from './offline';

// Training runs on the CPU backend here: SwiftShader (WebGPU emulated on 2 CPU cores) takes minutes
// per edit, the CPU backend seconds. The WebGPU edit path is checked op by op and end to end in the
// Node GPU tests (src/engine/webgpu/model.gpu.test.ts).
async function openEditViewOffline(page: Page, context: BrowserContext) {
  await page.goto('/edit?backend=cpu');
  await reloadOffline(page, context);
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeEnabled({ timeout: 120_000 });
}

test('offline: edit a capital, probe its reach, reload, delete, cancel an edit', async ({
  page,
  context,
}) => {
  await openEditViewOffline(page, context);
  await applyEdit(page, 'The capital of France is', 'Rome');

  const onPrompt = await probeBaseVsMemoir(page, 'The capital of France is');
  expect(onPrompt.base).toContain('Paris');
  expect(onPrompt.edited).toContain('Rome');
  expect(onPrompt.routing).toContain('memory ON');
  // The next token moves from the first piece of " Paris" to that of " Rome", both near certain.
  const [baseToken, baseP, editedToken, editedP] = onPrompt.topNext;
  expect([baseToken, editedToken]).toEqual(['␣Par', '␣R']);
  expect(parseFloat(baseP)).toBeGreaterThan(50);
  expect(parseFloat(editedP)).toBeGreaterThan(50);
  await page.screenshot({ path: 'test-results/memoir-probe.png', fullPage: true });

  // The first held-out rephrase of this fact in public/benchmarks/facts-edits.json, never trained on:
  // its mask overlaps the edit's above τ, so the memory fires and the paraphrase gets the new answer.
  const paraphrase = await probeBaseVsMemoir(page, 'The city that serves as the capital of France is');
  expect(paraphrase.base).toContain('Paris');
  expect(paraphrase.edited).toContain('Rome');
  expect(paraphrase.routing).toMatch(
    /Best-matching edit: “The capital of France is” → “Rome”, mask overlap 0\.\d\d ≥ τ = 0\.53: memory ON/,
  );

  // Other countries' capitals: below τ, the memory adds nothing and the base answer stands.
  for (const [prompt, answer] of [
    ['The capital of Japan is', 'Tokyo'],
    ['The capital of Germany is', 'Berlin'],
  ]) {
    const other = await probeBaseVsMemoir(page, prompt);
    expect(other.edited).toContain(answer);
    expect(other.routing).toContain('memory off');
    expect(other.topNext.slice(2)).toEqual(other.topNext.slice(0, 2)); // the base model's, exactly
  }

  await page.reload();
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByTestId('edit-list')).toContainText('The capital of France is', { timeout: 120_000 });
  expect((await probeBaseVsMemoir(page, 'The capital of France is')).edited).toContain('Rome');

  // A stricter gate: the paraphrase (overlap ≈ .6) no longer reaches the edit, the edit prompt itself
  // (overlap 1) still does, nothing is retrained, and the new τ is stored with the memory.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('spinbutton', { name: 'Gate τ' }).fill('0.9');
  await page.getByRole('button', { name: 'Set τ', exact: true }).click();
  await expect(page.getByTestId('memoir-tau')).toHaveText('0.9');
  const strict = await probeBaseVsMemoir(page, 'The city that serves as the capital of France is');
  expect(strict.edited).toContain('Paris');
  expect(strict.routing).toMatch(/mask overlap 0\.\d\d < τ = 0\.9: memory off/);
  expect((await probeBaseVsMemoir(page, 'The capital of France is')).edited).toContain('Rome');
  await page.reload();
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByTestId('memoir-tau')).toHaveText('0.9', { timeout: 120_000 });
  await page.getByRole('button', { name: "Reset τ to this model's default (0.53)" }).click();
  await expect(page.getByTestId('memoir-tau')).toHaveText('0.53');
  expect(
    (await probeBaseVsMemoir(page, 'The city that serves as the capital of France is')).edited,
  ).toContain('Rome');
  await page.getByRole('link', { name: 'Edit' }).click();

  await page.getByRole('button', { name: 'Delete edit The capital of France is' }).click();
  await expect(page.getByText('No edits yet')).toBeVisible();
  const after = await probeBaseVsMemoir(page, 'The capital of France is');
  expect(after.edited).toContain('Paris');

  // Cancel an edit mid-training: nothing is stored and the model answers as before.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('textbox', { name: 'Edit prompt' }).fill('The capital of Japan is');
  await page.getByRole('textbox', { name: 'New answer' }).fill('Lima');
  await page.getByRole('button', { name: 'Apply edit' }).click();
  await expect(page.getByTestId('training')).toContainText(/step \d+\/30/);
  await page.getByTestId('training').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Edit cancelled; the memory is exactly as it was before.')).toBeVisible();
  await expect(page.getByText('No edits yet')).toBeVisible();
  expect((await probeBaseVsMemoir(page, 'The capital of Japan is')).edited).toContain('Tokyo');
});

test('delete all edits: after a confirmation the model answers as trained, also after a reload', async ({
  page,
}) => {
  await openEditView(page);
  await applyEdit(page, 'The capital of France is', 'Rome');
  await applyEdit(page, 'The capital of Japan is', 'Lima');
  expect((await probeBaseVsMemoir(page, 'The capital of Japan is')).edited).toContain('Lima');

  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Delete all edits' }).click();
  await page.getByRole('button', { name: 'Keep them' }).click();
  await expect(page.getByTestId('edit-list')).toContainText('The capital of Japan is');
  await page.getByRole('button', { name: 'Delete all edits' }).click();
  await expect(page.getByRole('alert')).toContainText('Delete all 2 edits?');
  await page.getByRole('button', { name: 'Delete all 2' }).click();
  await expect(page.getByText('No edits yet')).toBeVisible();
  for (const [prompt, answer] of [
    ['The capital of France is', 'Paris'],
    ['The capital of Japan is', 'Tokyo'],
  ]) {
    const probe = await probeBaseVsMemoir(page, prompt);
    expect(probe.edited).toContain(answer);
    expect(probe.routing).not.toContain('memory ON');
  }
  await page.reload();
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByRole('button', { name: 'Apply edit' })).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByText('No edits yet')).toBeVisible();
});
