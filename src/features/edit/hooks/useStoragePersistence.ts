// Whether the browser keeps this site's storage (the stored edits) when the disk runs low, and asking it
// to, once per browser profile: browsers evict "best-effort" storage under pressure, persistent storage
// only when the person clears it. Asked when the first edit is stored (`hasEdits`), not at page load.
// Chrome answers from its own signals without a prompt; Firefox asks the person.
import { useEffect, useState } from 'react';

/** Remembers that the question was put, so it is put once, not on every visit. */
const ASKED_KEY = 'editscope.storage-persist-asked';

/** The Storage API is missing outside secure contexts (plain http to another host) and in old browsers. */
const supported = () => typeof navigator.storage?.persisted === 'function';

export type Persistence =
  | { state: 'checking' }
  | { state: 'unsupported' }
  | { state: 'persisted' }
  | { state: 'best-effort'; asked: boolean };

export function useStoragePersistence(hasEdits: boolean): Persistence {
  const [persistence, setPersistence] = useState<Persistence>(() =>
    supported() ? { state: 'checking' } : { state: 'unsupported' },
  );

  useEffect(() => {
    if (!supported()) return;
    void navigator.storage
      .persisted()
      .then((persisted) =>
        setPersistence(
          persisted
            ? { state: 'persisted' }
            : { state: 'best-effort', asked: localStorage.getItem(ASKED_KEY) !== null },
        ),
      );
  }, []);

  const ask = persistence.state === 'best-effort' && !persistence.asked && hasEdits;
  useEffect(() => {
    if (!ask) return;
    localStorage.setItem(ASKED_KEY, new Date().toISOString());
    void navigator.storage
      .persist()
      .then((granted) =>
        setPersistence(granted ? { state: 'persisted' } : { state: 'best-effort', asked: true }),
      );
  }, [ask]);

  return persistence;
}
