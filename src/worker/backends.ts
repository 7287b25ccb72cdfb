// The worker's backends: the device backend (WebGPU when the browser offers it, else CPU) created
// lazily and re-created after a DEVICE_LOST, plus the CPU reference. Importing this registers both.
import { createBackend, type Backend } from '../engine/backend';
import type { Handler, Handlers } from './serve';
import '../engine/cpu/backend';
import '../engine/webgpu/backend';

export class BackendSession {
  private device: Promise<Backend> | null = null;
  private webgpu: Promise<Backend> | null = null;
  private reference: Promise<Backend> | null = null;

  /** WebGPU if a device can be had, otherwise the CPU backend (said so in the capability report). */
  deviceBackend(): Promise<Backend> {
    this.device ??= this.webgpuBackend().catch(() => this.referenceBackend());
    return this.device;
  }

  /** WebGPU explicitly: fails with the reason when it cannot start (no silent CPU fallback). */
  webgpuBackend(): Promise<Backend> {
    this.webgpu ??= createBackend('webgpu');
    this.webgpu.catch(() => (this.webgpu = null));
    return this.webgpu;
  }

  referenceBackend(): Promise<Backend> {
    this.reference ??= createBackend('cpu');
    return this.reference;
  }

  /** Wraps every handler so that a DEVICE_LOST error (passed on to the caller, who is told to reload the
   *  model) also drops the dead device: the next load then runs on a fresh one. */
  recoveringFromDeviceLoss(handlers: Handlers): Handlers {
    const wrapped = {} as Record<string, Handler<keyof Handlers>>;
    for (const [name, handler] of Object.entries(handlers) as [keyof Handlers, Handler<keyof Handlers>][]) {
      wrapped[name] = async (params, ctx) => {
        try {
          return await handler(params, ctx);
        } catch (error) {
          if ((error as { code?: unknown }).code === 'DEVICE_LOST') this.resetDevice();
          throw error;
        }
      };
    }
    return wrapped as Handlers;
  }

  /** Forget the device backend so the next call builds a fresh one (after the GPU device was lost). */
  resetDevice(): void {
    this.device = null;
    this.webgpu = null;
  }
}
