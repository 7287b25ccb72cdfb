// Worker-side half of the protocol: routes `call` messages to typed handlers, gives each an
// AbortSignal (fired by `cancel`) and a progress reporter, and guarantees exactly one terminal
// event per request. Imports no model code; the entry points in workers/ supply the handlers.
import type {
  CallName,
  CallRequest,
  ParamsOf,
  Progress,
  Request,
  ResultOf,
  WireError,
  WorkerEvent,
} from './protocol';

export interface CallContext {
  readonly signal: AbortSignal;
  /** Report progress on a named piece of work; `loaded` is clamped so it never decreases. */
  progress(update: Progress): void;
  /** Stream a piece of generated text to the caller. */
  token(text: string): void;
}

export type Handler<K extends CallName> = (params: ParamsOf<K>, ctx: CallContext) => Promise<ResultOf<K>>;
export type Handlers = { [K in CallName]: Handler<K> };

/** The subset of a worker's global scope that serving needs (lets tests use a MessagePort). */
export interface WorkerScope {
  postMessage(message: WorkerEvent, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
}

export function serve(scope: WorkerScope, handlers: Handlers): void {
  const running = new Map<number, AbortController>();
  scope.addEventListener('message', (event) => {
    const request = event.data;
    switch (request.type) {
      case 'cancel':
        running.get(request.target)?.abort();
        return;
      case 'call':
        void run(scope, handlers, request, running);
        return;
      default: {
        const unreachable: never = request;
        console.error('worker: unknown request', unreachable);
      }
    }
  });
}

async function run(
  scope: WorkerScope,
  handlers: Handlers,
  request: CallRequest,
  running: Map<number, AbortController>,
): Promise<void> {
  const { id } = request;
  const controller = new AbortController();
  running.set(id, controller);
  const highWater = new Map<string, number>();
  const ctx: CallContext = {
    signal: controller.signal,
    progress(update) {
      if (controller.signal.aborted) return;
      const loaded = Math.max(update.loaded, highWater.get(update.label) ?? 0);
      highWater.set(update.label, loaded);
      scope.postMessage({ type: 'progress', id, ...update, loaded });
    },
    token(text) {
      if (!controller.signal.aborted) scope.postMessage({ type: 'token', id, text });
    },
  };
  try {
    const handler = handlers[request.call] as Handler<CallName>;
    const result = await handler(request.params, ctx);
    controller.signal.throwIfAborted();
    scope.postMessage({ type: 'result', id, result });
  } catch (error) {
    scope.postMessage({ type: 'error', id, error: toWireError(error, controller.signal, request.call) });
  } finally {
    running.delete(id);
  }
}

/** Any thrown value → `{code, message}`; EngineError-like objects keep their code. */
export function toWireError(error: unknown, signal: AbortSignal, call: string): WireError {
  if (signal.aborted) return { code: 'CANCELLED', message: `worker: ${call} was cancelled` };
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'INTERNAL', message: error.message };
  }
  return { code: 'INTERNAL', message: `worker: ${call} failed: ${String(error)}` };
}
