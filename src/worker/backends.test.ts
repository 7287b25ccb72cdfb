// After a DEVICE_LOST the worker drops the dead backend, so reloading the model gets a fresh one;
// other errors keep the backend.
import { beforeEach, describe, expect, it } from 'vitest';
import { registerBackend, type Backend } from '../engine/backend';
import { BackendSession } from './backends';
import type { CallContext, Handlers } from './serve';

const ctx: CallContext = { signal: new AbortController().signal, progress: () => {}, token: () => {} };

function failingWith(code: string): Handlers {
  const fail = async () => {
    throw Object.assign(new Error(`failed with ${code}`), { code });
  };
  return { capabilities: fail, selftest: fail, loadModel: fail, generate: fail } as unknown as Handlers;
}

describe('BackendSession.recoveringFromDeviceLoss', () => {
  // Stand-in WebGPU backends (Node has no navigator.gpu): each creation yields a new object.
  beforeEach(() => registerBackend('webgpu', async () => ({ name: 'webgpu' }) as Backend));

  it('passes DEVICE_LOST on and builds a fresh device backend afterwards', async () => {
    const session = new BackendSession();
    const before = await session.deviceBackend();
    const handlers = session.recoveringFromDeviceLoss(failingWith('DEVICE_LOST'));
    await expect(
      handlers.generate({ prompt: 'x', maxTokens: 1, sampling: { kind: 'greedy' } }, ctx),
    ).rejects.toMatchObject({
      code: 'DEVICE_LOST',
    });
    expect(await session.deviceBackend()).not.toBe(before);
  });

  it('keeps the backend on other errors', async () => {
    const session = new BackendSession();
    const before = await session.deviceBackend();
    const handlers = session.recoveringFromDeviceLoss(failingWith('LOAD'));
    await expect(handlers.capabilities({}, ctx)).rejects.toMatchObject({ code: 'LOAD' });
    expect(await session.deviceBackend()).toBe(before);
  });
});
