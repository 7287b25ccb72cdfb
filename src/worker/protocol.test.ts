// The protocol end to end over a real MessageChannel: results, errors with codes, progress
// invariants (monotonic, one terminal event) and cancellation.
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerClient, WorkerCallError, type MessageEndpoint } from './client';
import { serve, type Handlers, type WorkerScope } from './serve';
import type { WorkerEvent } from './protocol';

const channels: MessageChannel[] = [];
afterEach(() => channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close())));

function connect(handlers: Partial<Handlers>) {
  const channel = new MessageChannel();
  channels.push(channel);
  const events: WorkerEvent[] = [];
  channel.port1.addEventListener('message', (e) => events.push((e as MessageEvent<WorkerEvent>).data));
  serve(channel.port2 as unknown as WorkerScope, handlers as Handlers);
  const client = new WorkerClient(channel.port1 as unknown as MessageEndpoint);
  channel.port1.start();
  channel.port2.start();
  return { client, events };
}

const report = { backend: 'cpu' as const, dims: { m: 1, k: 1, n: 1, seed: 1 } };

describe('worker protocol', () => {
  it('resolves a call with its result and streams monotonic progress', async () => {
    const seen: number[] = [];
    const { client, events } = connect({
      selftest: async (params, ctx) => {
        for (const loaded of [0, 40, 30, 100])
          ctx.progress({ status: 'progress', label: 'steps', loaded, total: 100 });
        return {
          ...report,
          dims: params,
          checksum: 3,
          referenceChecksum: 3,
          maxAbsDiff: 0,
          tolerance: 1,
          passed: true,
          millis: 1,
        };
      },
    });
    const result = await client.call(
      'selftest',
      { m: 2, k: 3, n: 4, seed: 5 },
      { onProgress: (p) => seen.push(p.loaded) },
    );
    expect(result.checksum).toBe(3);
    expect(result.dims).toEqual({ m: 2, k: 3, n: 4, seed: 5 });
    expect(seen).toEqual([0, 40, 40, 100]);
    expect(events.filter((e) => e.type !== 'progress')).toHaveLength(1);
  });

  it('rejects with the code the handler threw', async () => {
    const { client } = connect({
      capabilities: async () => {
        throw Object.assign(new Error('device went away'), { code: 'DEVICE_LOST' });
      },
    });
    const error = await client.call('capabilities', {}).catch((e: WorkerCallError) => e);
    expect(error).toBeInstanceOf(WorkerCallError);
    expect(error).toMatchObject({ code: 'DEVICE_LOST', message: 'device went away' });
  });

  it('cancels a running call: the handler sees the abort and exactly one CANCELLED error arrives', async () => {
    let handlerSawAbort = false;
    const { client, events } = connect({
      capabilities: (_params, ctx) =>
        new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => {
            handlerSawAbort = true;
            reject(new Error('stopped'));
          }),
        ),
    });
    const controller = new AbortController();
    const pending = client.call('capabilities', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(handlerSawAbort).toBe(true);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'result')).toHaveLength(0);
  });

  it('refuses a call whose signal is already aborted without posting it', async () => {
    const { client, events } = connect({});
    const controller = new AbortController();
    controller.abort();
    await expect(client.call('capabilities', {}, { signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(events).toHaveLength(0);
  });
});
