// The app's Content-Security-Policy, one source for the preview/dev servers' header and the <meta> tag
// the build writes into index.html (static hosting, where headers may not be settable). Node-safe: read
// by vite.config.ts and the e2e spec that checks it.
// Why each source is allowed:
// - script-src 'wasm-unsafe-eval': onnxruntime-web (SERAC's scope model) compiles its WebAssembly; no
//   'unsafe-eval' and no inline script: the build emits only module files.
// - worker-src 'self': the engine worker and the service worker are files of the app.
// - connect-src / img-src: the app's own files, and the Hugging Face hub for hub models and their cards;
//   the hub answers /resolve/ for large (LFS, Xet) files with a redirect to its CDN hosts
//   (cdn-lfs.huggingface.co, cdn-lfs.hf.co, cdn-lfs-us-1.hf.co, cas-bridge.xethub.hf.co), hence the
//   wildcards. A card's images from anywhere else are blocked.
// - style-src 'self': the build's CSS is a file; React's style props go through the CSSOM, which CSP
//   does not govern.

const HUB = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

const DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'connect-src': ["'self'", ...HUB],
  'img-src': ["'self'", 'data:', ...HUB],
  'style-src': ["'self'"],
  'font-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/** Directives a <meta> policy may not carry (browsers ignore them there): header only. */
const HEADER_ONLY: Record<string, string[]> = { 'frame-ancestors': ["'none'"] };

/** Vite's dev server needs inline script (React Fast Refresh's preamble) and inline style (imported CSS is
 *  injected as <style>); the built app served by preview or any host gets none of this. */
const DEV_ONLY: Record<string, string[]> = {
  'script-src': ["'unsafe-inline'"],
  'style-src': ["'unsafe-inline'"],
};

function serialize(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The policy for `where`: the preview server's header, the built index.html's meta tag, or the dev
 *  server's header. */
export function contentSecurityPolicy(where: 'header' | 'meta' | 'dev'): string {
  const directives = { ...DIRECTIVES, ...(where === 'meta' ? {} : HEADER_ONLY) };
  if (where === 'dev') {
    for (const [name, extra] of Object.entries(DEV_ONLY)) directives[name] = [...directives[name], ...extra];
  }
  return serialize(directives);
}
