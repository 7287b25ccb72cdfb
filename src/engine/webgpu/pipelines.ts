// Pipeline cache: one Map from key to compute pipeline. The key covers everything that changes the
// compiled shader (kernel name + override constants, dtype among them) and labels the shader module
// and pipeline, so browser validation messages name the kernel. Compile errors are collected from an
// error scope and rethrown by `check()` as `SHADER_COMPILE: <key>: <browser message>`.
import { EngineError } from '../errors';
import common from './kernels/common.wgsl?raw';

export type Overrides = Record<string, number | boolean>;

/** A kernel: its name (the .wgsl file stem) and its source without the common prelude. */
export interface KernelSource {
  readonly name: string;
  readonly code: string;
}

export function pipelineKey(name: string, overrides: Overrides): string {
  const parts = Object.keys(overrides)
    .sort()
    .map((k) => `${k}=${String(overrides[k])}`);
  return parts.length ? `${name}[${parts.join(',')}]` : name;
}

export class PipelineCache {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly checks: Promise<EngineError | null>[] = [];

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  /** The pipeline for `kernel` specialised by `overrides`; compiles on first use (errors surface in check()). */
  get(kernel: KernelSource, overrides: Overrides = {}): GPUComputePipeline {
    const key = pipelineKey(kernel.name, overrides);
    const cached = this.pipelines.get(key);
    if (cached) return cached;
    const constants: Record<string, number> = {};
    for (const [k, v] of Object.entries(overrides)) constants[k] = Number(v);
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ label: key, code: `${common}\n${kernel.code}` });
    const pipeline = this.device.createComputePipeline({
      label: key,
      layout: 'auto',
      compute: { module, entryPoint: 'main', constants },
    });
    this.checks.push(
      this.device.popErrorScope().then((error) => {
        if (!error) return null;
        this.pipelines.delete(key); // a later get() recompiles and reports again
        return new EngineError('SHADER_COMPILE', `SHADER_COMPILE: ${key}: ${error.message}`);
      }),
    );
    this.pipelines.set(key, pipeline);
    return pipeline;
  }

  /** Resolves once every compile so far is known good; throws the first SHADER_COMPILE error. */
  async check(): Promise<void> {
    const pending = this.checks.splice(0);
    const errors = await Promise.all(pending);
    const first = errors.find((e) => e !== null);
    if (first) throw first;
  }
}
