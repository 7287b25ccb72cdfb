// Node module hooks (module.register) that serve Vite's `?raw` imports, e.g. the WGSL kernels'
// `import src from './add_forward.wgsl?raw'`, as a module whose default export is the file's text,
// so the engine's webgpu backend imports under tsx as it does under Vite. Registered by raw-imports.ts.
// Not a general asset loader: any other query or extension goes on down the chain unchanged.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export async function load(url, context, nextLoad) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'file:' || parsed.search !== '?raw') return nextLoad(url, context);
  const text = await readFile(fileURLToPath(parsed), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}
