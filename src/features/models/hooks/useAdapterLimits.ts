// This browser's WebGPU buffer limits, asked of the engine worker once (the System view's probe):
// the device the engine creates takes the adapter's limits, so they bound each tensor's buffer.
import { useEffect, useState } from 'react';
import type { BackendLimits } from '../../../engine/backend';
import { useEngineClient } from '../../../hooks/engine-context';

/** null until known, and when there is no WebGPU adapter (the CPU backend has no such limits). */
export function useAdapterLimits(): BackendLimits | null {
  const client = useEngineClient();
  const [limits, setLimits] = useState<BackendLimits | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    client.call('capabilities', {}, { signal: controller.signal }).then(
      ({ webgpu }) => webgpu.available && setLimits(webgpu.adapter.limits),
      () => {}, // no adapter report: no warnings, as on the CPU; the System view says why
    );
    return () => controller.abort();
  }, [client]);
  return limits;
}
