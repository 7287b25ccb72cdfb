// The hub models this browser's Cache API keeps, read again after each change here and whenever
// `version` changes (a load finished); deleting one or all goes straight to the cache (hub.ts).
import { useCallback, useEffect, useState } from 'react';
import { clearModelCache, deleteCachedModel, listCachedModels, type CachedModel } from '../../../models/hub';

export function useCachedModels(version: unknown) {
  const [models, setModels] = useState<CachedModel[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(
    () =>
      listCachedModels().then(
        (list) => (setModels(list), setError(null)),
        (e: Error) => setError(`the browser's cache could not be read: ${e.message}`),
      ),
    [],
  );
  useEffect(() => void refresh(), [refresh, version]);

  const run = (work: Promise<void>) =>
    work.then(refresh, (e: Error) => setError(`the browser's cache refused: ${e.message}`));
  return {
    models,
    error,
    remove: (model: CachedModel) => run(deleteCachedModel(model)),
    clear: () => run(clearModelCache()),
  };
}
