// MEMOIR's calibration for the loaded model: whether it was calibrated, the figure and its table, the
// reason in words, the chosen τ, which preset a new memory takes with a one-click switch to the other,
// and "Calibrate again" with progress and Cancel. When the memory's edits were trained with another
// layer or k than the preset's, it says so and offers the preset's τ only.
import { CallFailed } from '../../../components/CallFailed';
import { CalibrationPlot, chosenCandidate } from '../../../components/plots/CalibrationPlot';
import { ProgressList } from '../../../components/ProgressList';
import type { CandidateResult, MemoirCalibration } from '../../../editors/memoir/calibration';
import type { MemoirCalibrationStatus, MemoirStatus } from '../../../worker/protocol';
import type { CalibrationRun, CalibrationState } from '../hooks/useMemoirCalibration';

const pct = (x: number) => `${Math.round(x * 100)}%`;

type Config = MemoirStatus['config'];

function describeConfig(c: Config): string {
  return `layer ${c.layer}, k = ${c.k} of ${c.H} (${c.pooling} pooling, ${c.normalize}), τ = ${c.tau}`;
}

/** Whether edits trained in a memory of `a` could be kept in one of `b` (all but τ alike). */
const sameTraining = (a: Config, b: Config) =>
  a.layer === b.layer && a.k === b.k && a.pooling === b.pooling && a.normalize === b.normalize;

/** The candidates as a table (the figure's summary): each one's 1%-rule τ and what it routes there. */
function CandidateTable({ calibration }: { calibration: MemoirCalibration }) {
  const chosen = chosenCandidate(calibration);
  const rows: CandidateResult[] = calibration.candidates.some(
    (c) => c.label === calibration.paperResult.label,
  )
    ? [...calibration.candidates]
    : [...calibration.candidates, calibration.paperResult];
  const atTau = (c: CandidateResult) => c.curve.find((p) => p.tau === c.tau);
  return (
    <table className="facts" data-testid="calibration-table">
      <thead>
        <tr>
          <th>Candidate</th>
          <th>τ where ≤ 1% of unrelated prompts open</th>
          <th>Paraphrases to their own fact there</th>
          <th>Unrelated prompts that open there</th>
          <th>
            <span className="visually-hidden">Role</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.label} className={c === chosen ? 'chosen' : undefined}>
            <td>{c.label}</td>
            <td>{c.tau ?? 'none on the grid'}</td>
            <td>{c.tau === null ? '—' : pct(c.paraphraseOwnAtTau)}</td>
            <td>{c.tau === null ? '—' : pct(atTau(c)?.unrelatedOpen ?? 0)}</td>
            <td>
              {[c === chosen && 'chosen', c.label === calibration.paperResult.label && 'paper preset']
                .filter(Boolean)
                .join(', ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RunStatus({ run, onCancel }: { run: CalibrationRun; onCancel: () => void }) {
  switch (run.state) {
    case 'idle':
      return null;
    case 'running':
      return (
        <div className="notice" data-testid="calibration-running">
          Calibrating MEMOIR for this model… <button onClick={onCancel}>Cancel</button>
          <ProgressList progress={run.progress} />
        </div>
      );
    case 'cancelled':
      return <p className="notice warn">Calibration cancelled; nothing was stored.</p>;
    case 'failed':
      return <CallFailed what="Calibration" failure={run} testId="calibration-error" />;
    default: {
      const unreachable: never = run;
      return unreachable;
    }
  }
}

/** Said above the edit form while the model was never calibrated and its first edit will calibrate it. */
export function NotCalibratedNotice({ calibration }: { calibration: CalibrationState }) {
  if (calibration.state !== 'ready') return null;
  const { value } = calibration;
  if (!value.calibratesFirst) return null;
  return (
    <p className="notice" data-testid="calibration-none">
      {value.modelId} was never calibrated for MEMOIR at {value.precision}: its first edit calibrates it first
      (a few minutes on a small model). Calibration measures how TopHash routes the calibration set&apos;s
      paraphrases and unrelated prompts at candidate layers, k and poolings, takes the one that routes the
      most paraphrases to their own fact while at most 1% of unrelated prompts open the memory, and tries a
      few edits there. Calibration (below) can run it now, or switch to the paper preset.
    </p>
  );
}

export function CalibrationPanel({
  calibration,
  run,
  memory,
  busy,
  onCalibrate,
  onCancel,
  onPreset,
  onSetTau,
}: {
  calibration: CalibrationState;
  run: CalibrationRun;
  /** The memory as it is now (its config, its edits). */
  memory: MemoirStatus | null;
  /** An edit trains: calibrating or switching waits. */
  busy: boolean;
  onCalibrate: () => void;
  onCancel: () => void;
  onPreset: (preset: MemoirCalibrationStatus['preset']) => void;
  onSetTau: (tau: number) => void;
}) {
  if (calibration.state === 'waiting') return null;
  if (calibration.state === 'failed') return <p className="notice error">{calibration.message}</p>;
  const { value } = calibration;
  const c = value.calibration;
  const running = run.state === 'running';
  const stored = memory ? memory.edits.length + memory.notInForce.length : 0;
  const other = value.preset === 'paper' ? 'calibrated' : 'paper';
  return (
    <section aria-labelledby="calibration-heading" data-testid="calibration">
      <h3 id="calibration-heading">Calibration</h3>
      {value.problems.map((p) => (
        <p className="notice warn" key={p}>
          {p}
        </p>
      ))}
      {c ? (
        <>
          <p data-testid="calibration-chosen">
            Calibrated for {value.modelId} at {value.precision} on the calibration set {c.calibrationSet}{' '}
            {value.from === 'shipped'
              ? '(shipped with the model)'
              : `(in this browser, ${new Date(c.createdAt).toLocaleString()})`}
            : <strong>{c.chosenLabel}</strong>, τ ={' '}
            <strong data-testid="calibrated-tau">{c.chosen.tau}</strong>.
          </p>
          <p data-testid="calibration-reason">{c.reason}</p>
          <CalibrationPlot calibration={c} />
          <CandidateTable calibration={c} />
        </>
      ) : (
        <p>
          Not calibrated at {value.precision} yet
          {value.preset === 'paper'
            ? ': the paper preset is in use, so edits do not wait for it'
            : !value.calibratesFirst &&
              ': until it is, a new memory takes the preset measured for this bundled model'}
          .
        </p>
      )}
      <p data-testid="memoir-preset">
        A new memory takes the <strong>{value.preset}</strong> preset
        {value.newMemory ? `: ${describeConfig(value.newMemory)}` : ' (once calibrated)'}.{' '}
        <button disabled={busy || running} onClick={() => onPreset(other)}>
          Use the {other} preset
        </button>
      </p>
      {memory && stored > 0 && value.newMemory && !sameTraining(memory.config, value.newMemory) && (
        <p className="notice" data-testid="preset-differs">
          This memory&apos;s {stored} edits were trained at {describeConfig(memory.config)}; the{' '}
          {value.preset} preset&apos;s layer, k and pooling apply to a new memory, after Delete all. Its τ can
          be used now
          {memory.config.tau === value.newMemory.tau ? ' and is.' : ':'}
          {memory.config.tau !== value.newMemory.tau && (
            <>
              {' '}
              <button disabled={busy} onClick={() => onSetTau(value.newMemory!.tau)}>
                Use τ = {value.newMemory.tau}
              </button>
            </>
          )}
        </p>
      )}
      <p>
        <button disabled={busy || running} onClick={onCalibrate}>
          {c ? 'Calibrate again' : 'Calibrate now'}
        </button>
      </p>
      <RunStatus run={run} onCancel={onCancel} />
    </section>
  );
}
