// A value loaded on first use and kept: later callers share the one load. A failed load is reported to
// the callers waiting on it and tried again by the next use (storage refused, a file not reachable yet).
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    const current = (pending ??= load());
    current.catch(() => {
      if (pending === current) pending = null;
    });
    return current;
  };
}
