// A value loaded on first use and kept: later callers share the one load, made with the first caller's
// arguments (its progress callback and cancel signal, say). A failed load is reported to the callers
// waiting on it and tried again by the next use (storage refused, a file not reachable yet, cancelled).
export interface Lazy<A extends unknown[], T> {
  (...args: A): Promise<T>;
  /** The load under way or done; null before the first use and after a failed load. For an owner that
   *  must free what was loaded without starting a load. */
  readonly current: Promise<T> | null;
}

export function lazy<A extends unknown[], T>(load: (...args: A) => Promise<T>): Lazy<A, T> {
  let pending: Promise<T> | null = null;
  const get = (...args: A) => {
    const current = (pending ??= load(...args));
    current.catch(() => {
      if (pending === current) pending = null;
    });
    return current;
  };
  return Object.defineProperty(get, 'current', { get: () => pending }) as Lazy<A, T>;
}
