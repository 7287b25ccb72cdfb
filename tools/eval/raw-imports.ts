// Side-effect import, first in the eval CLI: registers raw-hooks.mjs so that the webgpu backend's
// `*.wgsl?raw` imports (Vite syntax) load under tsx in Node. The backend is imported later, on
// demand, so the hooks are in place by then.
import { register } from 'node:module';

register('./raw-hooks.mjs', import.meta.url);
