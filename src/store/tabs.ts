// How tabs share one store (DESIGN §10 "one writer"): the lock every change to a model's MEMOIR memory
// runs under (Web Locks across tabs; one queue per name in this realm where navigator.locks is missing,
// as in Node) and the BroadcastChannel every change and schema upgrade is announced on.
// Not the changes themselves (memoir-writer.ts) nor the database (db.ts).

export const CHANNEL_NAME = 'editscope-store';

export type MemoirChange = 'edit' | 'delete' | 'tau' | 'import' | 'config';

/** What one tab tells the others. `writer` names the MemoirWriter that made a change (it ignores its
 *  own). `upgrade-blocked`: a tab's newer schema waits for an older tab to close its connection;
 *  `closed-for-upgrade`: a tab closed its connection for another tab's upgrade and must reload. */
export type StoreMessage =
  | { type: 'memoir-changed'; modelId: string; change: MemoirChange; writer: string }
  | { type: 'upgrade-blocked' }
  | { type: 'closed-for-upgrade' };

/** Runs `work` alone among all work under the same name, in every tab; resolves with its result. */
export type Serialise = <T>(name: string, work: () => Promise<T>) => Promise<T>;

export function memoirLockName(modelId: string): string {
  return `editscope:memoir:${modelId}`;
}

/** The Web Locks API where the runtime has it (every tab of the origin shares its locks), else
 *  inProcessLocks (one realm only: enough for Node tests, which inject one shared instance as "tabs"). */
export function tabLocks(locks: LockManager | undefined = globalThis.navigator?.locks): Serialise {
  if (!locks) return inProcessLocks();
  return <T>(name: string, work: () => Promise<T>) => locks.request(name, work) as Promise<T>;
}

/** One FIFO queue per name: each work starts when the one before it has settled (fulfilled or not). */
export function inProcessLocks(): Serialise {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(name: string, work: () => Promise<T>) => {
    const run = (tails.get(name) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    tails.set(name, tail);
    void tail.then(() => {
      if (tails.get(name) === tail) tails.delete(name);
    });
    return run;
  };
}

export interface StoreChannel {
  post(message: StoreMessage): void;
  /** Calls `listener` with every message another channel object posts; returns the unsubscribe. */
  listen(listener: (message: StoreMessage) => void): () => void;
  close(): void;
}

/** A BroadcastChannel on CHANNEL_NAME (reaches every other tab, worker and channel object of the origin,
 *  never the one that posts); where the runtime has none, a channel that reaches nobody. */
export function storeChannel(): StoreChannel {
  if (typeof BroadcastChannel === 'undefined') {
    return { post: () => undefined, listen: () => () => undefined, close: () => undefined };
  }
  const channel = new BroadcastChannel(CHANNEL_NAME);
  return {
    post: (message) => channel.postMessage(message),
    listen: (listener) => {
      const onMessage = (event: MessageEvent<StoreMessage>) => listener(event.data);
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
    close: () => channel.close(),
  };
}
