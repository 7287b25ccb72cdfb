// Engine worker entry point: owns the GPUDevice and answers the protocol's calls. Thin by design:
// it wires each call to src/; no model or kernel logic lives here.
// First: transformers.js must find the app's onnxruntime-web when its module is evaluated.
import '../src/worker/transformers-ort';
import { probeCapabilities } from '../src/engine/capabilities';
import { runMatmulSelfTest } from '../src/engine/selftest';
import { BackendSession } from '../src/worker/backends';
import { lazyDatabase } from '../src/worker/database';
import { MemoirSession } from '../src/worker/memoir-session';
import { ModelSession } from '../src/worker/model-session';
import { SeracSession } from '../src/worker/serac-session';
import { serve, type Handlers, type WorkerScope } from '../src/worker/serve';

const backends = new BackendSession();
const models = new ModelSession(backends);
const database = lazyDatabase();
const memoir = new MemoirSession(database);
const serac = new SeracSession(database);

const handlers: Handlers = {
  capabilities: () => probeCapabilities(navigator.gpu, self.crossOriginIsolated),
  selftest: async (dims) =>
    runMatmulSelfTest(await backends.deviceBackend(), await backends.referenceBackend(), dims),
  loadModel: async (params, ctx) => {
    const summary = await models.load(params, ctx);
    const { model, tokenizer } = models.current();
    await memoir.attach(params.source, model, tokenizer, params.precision, ctx);
    serac.attach(params.source, model, tokenizer, params.precision);
    return summary;
  },
  generate: (params, ctx) => models.generate(params, ctx),
  chatPrompt: async (params) => models.chatPrompt(params),
  memoirStatus: async () => memoir.status(),
  memoirEdit: (params, ctx) => memoir.edit(params, ctx),
  memoirCalibration: async () => memoir.calibrationStatus(),
  memoirCalibrate: (_params, ctx) => memoir.calibrate(ctx),
  memoirSetPreset: (params) => memoir.setPreset(params),
  memoirDelete: (params) => memoir.delete(params),
  memoirSetTau: (params) => memoir.setTau(params),
  memoirExport: () => memoir.exportBackup(),
  memoirImport: (params) => memoir.importBackup(params),
  memoirCompare: (params) => memoir.compare(params),
  memoirMasks: () => memoir.masks(),
  memoirPreviewMask: (params) => memoir.previewMask(params),
  memoirScope: (params, ctx) => memoir.scope(params, ctx),
  memoirBenchmark: (params, ctx) => memoir.benchmark(params, ctx),
  // SERAC's memory is the stored edit list, which it reads from the store itself.
  seracThreshold: () => serac.threshold(),
  seracSetThreshold: (params) => serac.setThreshold(params),
  seracSetCompanions: (params) => serac.setCompanions(params),
  seracCalibrate: (params, ctx) => serac.calibrate(params, ctx),
  seracCompare: (params, ctx) => serac.compare(params, ctx),
  seracScope: (params, ctx) => serac.scope(params, ctx),
  seracBenchmark: (params, ctx) => serac.benchmark(params, ctx),
  memoirLesson: (params, ctx) => memoir.lesson(params, ctx),
  seracLesson: (params, ctx) => serac.lesson(params, ctx),
};

serve(self as unknown as WorkerScope, backends.recoveringFromDeviceLoss(handlers));
