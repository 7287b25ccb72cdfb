// Gives transformers.js the app's onnxruntime-web (its wasm build, the one SERAC's bundled scope model
// runs on) instead of the WebGPU build it imports itself: that one fetches ort-wasm-simd-threaded.
// asyncify.wasm (27 MB, from a CDN unless told otherwise, and not in the service worker's precache),
// while this one needs only /ort/ort-wasm-simd-threaded.wasm, which the app serves and precaches
// (vite.config.ts), so an embedding-mode scope model works offline. transformers.js reads the
// `Symbol.for('onnxruntime')` global once, when its module is evaluated: import this module first in the
// worker entry, before anything that imports @huggingface/transformers. Browser only (Node uses
// onnxruntime-node).
import * as ort from 'onnxruntime-web/wasm';

/** Where the app serves onnxruntime-web's wasm (vite.config.ts copies it there). */
export const ORT_WASM_PATHS = '/ort/';

ort.env.wasm.wasmPaths = ORT_WASM_PATHS;
(globalThis as Record<symbol, unknown>)[Symbol.for('onnxruntime')] = ort;
