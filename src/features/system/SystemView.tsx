// The System view: what this browser offers Editscope, and proof that the engine worker computes
// correctly on it.
import { CallFailed } from '../../components/CallFailed';
import { AdapterTable } from './components/AdapterTable';
import { SelfTestPanel } from './components/SelfTestPanel';
import { useSystemReport } from './hooks/useSystemReport';

export function SystemView() {
  const { capabilities, selftest, rerunSelftest } = useSystemReport();
  return (
    <section>
      <h2>This browser</h2>
      {capabilities.state === 'loading' && <p>Asking for a WebGPU adapter…</p>}
      {capabilities.state === 'failed' && <CallFailed what="Probe" failure={capabilities} />}
      {capabilities.state === 'ready' && <AdapterTable capabilities={capabilities.value} />}
      <h2>Engine self-test</h2>
      <SelfTestPanel selftest={selftest} onRerun={rerunSelftest} />
    </section>
  );
}
