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
// - style-src 'self' + two hashes: the build's CSS is a file, and React's style props go through the
//   CSSOM, which CSP does not govern; but Observable Plot (src/components/plots) writes its default styles
//   as <style> elements into each chart and its swatch legend, always the same text for one Plot version:
//   their SHA-256 hashes allow exactly those. A Plot upgrade or a new legend kind changes them: e2e
//   csp.spec.ts then fails, and Chrome's "Refused to apply inline style" message in it names the hash.

const HUB = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];
/** Observable Plot 0.6.17's chart style and swatch-legend style (measured: e2e/csp.spec.ts). */
const PLOT_STYLES = [
  "'sha256-jSYQUrW7J0b3jPqhZP9C2Xh1PyJKHKXd4s0fpGGKrww='",
  "'sha256-rCZUQsEQJf1DmnfnMZmlj08XC7qbIZySA6bEtitbQ00='",
];

const DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'connect-src': ["'self'", ...HUB],
  'img-src': ["'self'", 'data:', ...HUB],
  'style-src': ["'self'", ...PLOT_STYLES],
  'font-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/** Directives a <meta> policy may not carry (browsers ignore them there): header only. */
const HEADER_ONLY: Record<string, string[]> = { 'frame-ancestors': ["'none'"] };

/** Vite's dev server needs inline script (React Fast Refresh's preamble) and inline style (imported CSS is
 *  injected as <style>); the built app served by preview or any host gets none of this. These replace
 *  the directives: beside a hash, a browser ignores 'unsafe-inline'. */
const DEV: Record<string, string[]> = {
  'script-src': ["'self'", "'wasm-unsafe-eval'", "'unsafe-inline'"],
  'style-src': ["'self'", "'unsafe-inline'"],
};

function serialize(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The policy for `where`: the preview server's header, the built index.html's meta tag, or the dev
 *  server's header. */
export function contentSecurityPolicy(where: 'header' | 'meta' | 'dev'): string {
  return serialize({
    ...DIRECTIVES,
    ...(where === 'meta' ? {} : HEADER_ONLY),
    ...(where === 'dev' ? DEV : {}),
  });
}
