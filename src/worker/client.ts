// Promise client over postMessage: one pending entry per request id, progress callbacks,
// AbortSignal → `cancel` message. Not a worker itself; see workers/ for the entry points.
import type { CallName, ParamsOf, Progress, Request, ResultOf, WireError, WorkerEvent } from './protocol';

/** The subset of Worker that the client needs (lets tests pass a MessageChannel port). */
export interface MessageEndpoint {
  postMessage(message: Request, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerEvent>) => void): void;
}

export class WorkerCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerCallError';
  }
}

export interface CallOptions {
  onProgress?: (progress: Progress) => void;
  /** Streamed text pieces (generation). */
  onToken?: (text: string) => void;
  signal?: AbortSignal;
  transfer?: Transferable[];
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: WorkerCallError) => void;
  onProgress?: (progress: Progress) => void;
  onToken?: (text: string) => void;
}

export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly endpoint: MessageEndpoint) {
    endpoint.addEventListener('message', (event) => this.receive(event.data));
  }

  call<K extends CallName>(call: K, params: ParamsOf<K>, options: CallOptions = {}): Promise<ResultOf<K>> {
    const id = this.nextId++;
    const { signal, onProgress, onToken, transfer } = options;
    if (signal?.aborted) return Promise.reject(cancelledError(call));
    return new Promise<ResultOf<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, onProgress, onToken });
      signal?.addEventListener(
        'abort',
        () => this.endpoint.postMessage({ type: 'cancel', id: this.nextId++, target: id }),
        {
          once: true,
        },
      );
      this.endpoint.postMessage({ type: 'call', id, call, params } as Request, transfer ?? []);
    });
  }

  private receive(event: WorkerEvent): void {
    const entry = this.pending.get(event.id);
    if (!entry) return; // a late event for a request that already ended
    switch (event.type) {
      case 'progress': {
        const { type: _type, id: _id, ...progress } = event;
        entry.onProgress?.(progress);
        return;
      }
      case 'token':
        entry.onToken?.(event.text);
        return;
      case 'result':
        this.pending.delete(event.id);
        entry.resolve(event.result);
        return;
      case 'error':
        this.pending.delete(event.id);
        entry.reject(toCallError(event.error));
        return;
      default: {
        const unreachable: never = event;
        throw new Error(`worker client: unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

function toCallError(error: WireError): WorkerCallError {
  return new WorkerCallError(error.code, error.message);
}

function cancelledError(call: string): WorkerCallError {
  return new WorkerCallError('CANCELLED', `worker: ${call} was cancelled before it started`);
}
