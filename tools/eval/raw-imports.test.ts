// The eval CLI's `?raw` hooks: in a child Node under tsx (as `npm run eval` runs), the webgpu backend
// and its WGSL kernels import with them, a kernel's default export being its file's text; without
// them Node refuses the same import (the error `npm run eval -- --backend webgpu` used to stop at).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const kernel = 'src/engine/webgpu/kernels/add_forward.wgsl';

function runNode(withHooks: boolean): string {
  const script = [
    withHooks ? "await import('./tools/eval/raw-imports.ts');" : '',
    "await import('./src/engine/webgpu/backend.ts');",
    `const m = await import('./${kernel}?raw');`,
    'process.stdout.write(m.default);',
  ].join('\n');
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('eval CLI ?raw imports under tsx', () => {
  it('load the webgpu backend, a WGSL import being the file text', () => {
    expect(runNode(true)).toBe(readFileSync(join(root, kernel), 'utf8'));
  });

  it('are needed: without the hooks Node refuses .wgsl', () => {
    expect(() => runNode(false)).toThrow(/Unknown file extension "\.wgsl"/);
  });
});
