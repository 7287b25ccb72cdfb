// Owns the System view's worker calls: the capability probe and the matmul self-test.
import { useCallback, useEffect, useState } from 'react';
import { useEngineClient } from '../../../hooks/engine-context';
import type { Capabilities } from '../../../engine/capabilities';
import type { SelfTestDims, SelfTestReport } from '../../../engine/selftest';

export type Loadable<T> =
  { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; code: string; message: string };

/** Deliberately not multiples of the kernels' workgroup sizes, so edge tiles are exercised. */
export const SELFTEST_DIMS: SelfTestDims = { m: 37, k: 70, n: 53, seed: 7 };

export function useSystemReport() {
  const client = useEngineClient();
  const [capabilities, setCapabilities] = useState<Loadable<Capabilities>>({ state: 'loading' });
  const [selftest, setSelftest] = useState<Loadable<SelfTestReport>>({ state: 'loading' });

  /** Issues the worker call; state changes happen only in its callbacks. */
  const startSelftest = useCallback(
    (signal?: AbortSignal) =>
      client.call('selftest', SELFTEST_DIMS, { signal }).then(
        (value) => setSelftest({ state: 'ready', value }),
        (error: { code?: string; message: string }) =>
          signal?.aborted ||
          setSelftest({ state: 'failed', code: error.code ?? 'INTERNAL', message: error.message }),
      ),
    [client],
  );

  useEffect(() => {
    const controller = new AbortController();
    client.call('capabilities', {}, { signal: controller.signal }).then(
      (value) => setCapabilities({ state: 'ready', value }),
      (error: { code?: string; message: string }) =>
        controller.signal.aborted ||
        setCapabilities({ state: 'failed', code: error.code ?? 'INTERNAL', message: error.message }),
    );
    startSelftest(controller.signal);
    return () => controller.abort();
  }, [client, startSelftest]);

  const rerunSelftest = () => {
    setSelftest({ state: 'loading' });
    startSelftest();
  };

  return { capabilities, selftest, rerunSelftest };
}
