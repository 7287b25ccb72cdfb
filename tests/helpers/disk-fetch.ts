// A `fetch` for Node tests that serves app-relative URLs ("/models/x/config.json") from public/ on
// disk, like the dev server does: 404 for missing files, content-length set so progress has a total.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const publicDir = join(import.meta.dirname, '..', '..', 'public');

export const diskFetch: typeof fetch = async (input) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const path = join(publicDir, decodeURIComponent(url.replace(/^\//, '')));
  if (!path.startsWith(publicDir) || !existsSync(path) || !statSync(path).isFile()) {
    return new Response('not found', { status: 404 });
  }
  const bytes = readFileSync(path);
  return new Response(bytes, { headers: { 'content-length': String(bytes.byteLength) } });
};
