// Points the app's onnxruntime-web (its wasm build, which SERAC's bundled scope model runs on) at the wasm
// the app serves and precaches (/ort/ort-wasm-simd-threaded.wasm, vite.config.ts), so the scope models
// work offline and never reach for a CDN. transformers.js gets this same build: vite.config.ts aliases
// its import of onnxruntime-web/webgpu (whose asyncify wasm is 27 MB and not precached) to this one.
// Import it first in the worker entry, before anything that runs an ONNX session. Browser only (Node uses
// onnxruntime-node).
import * as ort from 'onnxruntime-web/wasm';

/** Where the app serves onnxruntime-web's wasm (vite.config.ts copies it there). */
export const ORT_WASM_PATHS = '/ort/';

ort.env.wasm.wasmPaths = ORT_WASM_PATHS;
