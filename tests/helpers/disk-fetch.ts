// A `fetch` for Node tests that serves app-relative URLs ("/models/x/config.json") from public/ on
// disk, like the dev server does: 404 for missing files, content-length set so progress has a total.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const publicDir = join(import.meta.dirname, '..', '..', 'public');

/** The same for another root, e.g. tests/fixtures (URL "/hub/x/config.json" → root/hub/x/config.json). */
export function diskFetchFrom(root: string): typeof fetch {
  return async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = join(root, decodeURIComponent(url.replace(/^\//, '')));
    if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) {
      return new Response('not found', { status: 404 });
    }
    const bytes = readFileSync(path);
    return new Response(bytes, { headers: { 'content-length': String(bytes.byteLength) } });
  };
}

export const diskFetch: typeof fetch = diskFetchFrom(publicDir);
