// Shows the worker's matmul self-test: the result on the engine's backend and its check against
// the CPU reference.
import { CallFailed } from '../../../components/CallFailed';
import type { SelfTestReport } from '../../../engine/selftest';
import type { Loadable } from '../hooks/useSystemReport';

export function SelfTestPanel({
  selftest,
  onRerun,
}: {
  selftest: Loadable<SelfTestReport>;
  onRerun: () => void;
}) {
  if (selftest.state === 'loading')
    return <p data-testid="selftest-status">Running a matmul in the engine worker…</p>;
  if (selftest.state === 'failed') {
    return <CallFailed what="Self-test" failure={selftest} testId="selftest-status" />;
  }
  const r = selftest.value;
  const { m, k, n } = r.dims;
  return (
    <div className="selftest">
      <p data-testid="selftest-status" className={r.passed ? 'notice ok' : 'notice error'}>
        {r.passed ? 'Verified' : 'MISMATCH'}: {m}×{k} · {k}×{n} matmul on{' '}
        <b data-testid="selftest-backend">{r.backend}</b> matches the CPU reference to{' '}
        {r.maxAbsDiff.toExponential(2)} (tolerance {r.tolerance.toExponential(0)}).
      </p>
      <table className="facts">
        <tbody>
          <tr>
            <th>Checksum ({r.backend})</th>
            <td data-testid="selftest-checksum">{r.checksum.toFixed(4)}</td>
          </tr>
          <tr>
            <th>Checksum (CPU reference)</th>
            <td data-testid="selftest-reference">{r.referenceChecksum.toFixed(4)}</td>
          </tr>
          <tr>
            <th>Time on {r.backend}</th>
            <td>{r.millis.toFixed(1)} ms</td>
          </tr>
        </tbody>
      </table>
      <button onClick={onRerun}>Run again</button>
    </div>
  );
}
