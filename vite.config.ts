// Vite config: React app + module workers, cross-origin isolation headers (SharedArrayBuffer for
// ORT's threads), onnxruntime-web's wasm served from the app itself (never a CDN), and the PWA
// service worker that precaches the shell, ORT's wasm and the bundled models for offline demos.
// The Content-Security-Policy (src/app/csp.ts) goes out as a header beside the isolation headers and
// into the built index.html as a <meta> tag.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy } from './src/app/csp';

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Writes the policy into every built page's <head>, first, so it governs everything after it. Build
 *  only: the dev server's pages need the looser dev policy its header carries. */
const cspMeta: Plugin = {
  name: 'editscope-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy('meta') },
      injectTo: 'head-prepend',
    },
  ],
};

/** transformers.js imports onnxruntime-web's WebGPU build, whose wasm (asyncify, 27 MB) is not precached.
 *  In the engine worker, SERAC's embedding scope runs it on the wasm build the cross-encoder runs on
 *  (src/worker/transformers-ort.ts); transformers.js' own hook for another runtime, the
 *  Symbol.for('onnxruntime') global, leaves it no device to run on in 4.3 ("Unsupported device: "wasm"").
 *  Worker bundles only (and the dev server, which builds no bundles): the engine benchmark page's
 *  transformers.js peer runs on WebGPU. */
const transformersOnOrtWasm: Plugin = {
  name: 'editscope-transformers-on-ort-wasm',
  enforce: 'pre',
  resolveId(source, importer, options) {
    if (source !== 'onnxruntime-web/webgpu') return null;
    return this.resolve('onnxruntime-web/wasm', importer, { ...options, skipSelf: true });
  },
};

/** ORT's wasm binaries: plain (wasm EP), asyncify (native WebGPU EP) and jsep (transformers.js' WebGPU). */
const ortFiles = 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded{,.asyncify,.jsep}.{mjs,wasm}';

export default defineConfig({
  plugins: [
    react(),
    cspMeta,
    { ...transformersOnOrtWasm, apply: 'serve' },
    viteStaticCopy({ targets: [{ src: ortFiles, dest: 'ort' }] }),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false, // src/app/register-sw.ts registers it, so tests can opt out
      manifest: {
        name: 'Editscope',
        short_name: 'Editscope',
        description: 'Edit what a language model knows, in your browser.',
        theme_color: '#1d2330',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        // Take control on first visit, so the page is offline-ready without a reload.
        clientsClaim: true,
        skipWaiting: true,
        // The shell, the bundled models (weights, tokenizers, configs, cards), the MEMOIR background prompts,
        // the facts benchmark the Benchmark view runs, and what SERAC's scope classifier needs
        // (its ONNX graph and ORT's plain wasm build). The other ONNX exports and ORT builds are left
        // out: the engine runs the models from their safetensors.
        globPatterns: [
          '**/*.{js,css,html,svg,webmanifest}',
          'models/**/*.{json,safetensors,md}',
          'models/editscope-scope/onnx/model.onnx',
          'ort/ort-wasm-simd-threaded.{mjs,wasm}',
          'benchmarks/background-prompts.json',
          'benchmarks/facts-edits.json',
          'calibration/calibration-set.json', // MEMOIR/SERAC calibration of any model, also offline
        ],
        globIgnores: ['bench/**', 'assets/bench*-*.js'], // benchmark pages: not part of the app
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallbackDenylist: [/^\/bench\//, /^\/models\//, /^\/benchmarks\//, /^\/ort\//],
      },
    }),
  ],
  worker: { format: 'es', plugins: () => [transformersOnOrtWasm] },
  server: { headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy('dev') } },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy('header') } },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // The benchmark pages ship with the app so anyone can measure their own GPU.
    rollupOptions: {
      input: {
        main: 'index.html',
        benchEngine: 'bench/pages/engine.html',
        benchParity: 'bench/pages/parity.html',
        benchMemoir: 'bench/pages/memoir.html',
        benchMemoirScale: 'bench/pages/memoir-scale.html',
      },
    },
  },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
