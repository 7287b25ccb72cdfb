// Engine worker entry point: owns the GPUDevice and answers the protocol's calls. Thin by design:
// it wires each call to src/; no model or kernel logic lives here.
import { probeCapabilities } from '../src/engine/capabilities';
import { runMatmulSelfTest } from '../src/engine/selftest';
import { BackendSession } from '../src/worker/backends';
import { ModelSession } from '../src/worker/model-session';
import { serve, type WorkerScope } from '../src/worker/serve';

const backends = new BackendSession();
const models = new ModelSession(backends);

serve(self as unknown as WorkerScope, {
  capabilities: () => probeCapabilities(navigator.gpu, self.crossOriginIsolated),
  selftest: async (dims) =>
    runMatmulSelfTest(await backends.deviceBackend(), await backends.referenceBackend(), dims),
  loadModel: (params, ctx) => models.load(params, ctx),
  generate: (params, ctx) => models.generate(params, ctx),
});
