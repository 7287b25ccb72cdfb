// SERAC's companions and scope threshold, beside MEMOIR's τ: which scope model and counterfactual SERAC
// uses for this base model and why, other ones to pick (hub repos), calibrating an embedding scope's
// threshold (progress, cancel), and the threshold itself, which only decides which prompts the
// counterfactual answers, so a new one takes effect at the next prompt.
import { useState, type FormEvent } from 'react';
import { ProgressList } from '../../../components/ProgressList';
import { SeracCompanions } from '../../../components/SeracCompanions';
import { ThresholdForm } from '../../../components/ThresholdForm';
import type { SeracCalibrating, SeracGate } from '../../../hooks/serac-companions';
import { BASE_COUNTERFACTUAL, DEFAULT_SCOPE_MODEL } from '../../../models/registry';
import type { ParamsOf, SeracThreshold } from '../../../worker/protocol';

export function SeracGateControl({
  gate,
  calibrating,
  onSetThreshold,
  onSetCompanions,
  onCalibrate,
  onCancel,
}: {
  gate: SeracGate;
  calibrating: SeracCalibrating;
  onSetThreshold: (threshold: number | null) => void;
  onSetCompanions: (picks: ParamsOf<'seracSetCompanions'>) => void;
  onCalibrate: () => void;
  onCancel: () => void;
}) {
  switch (gate.state) {
    case 'waiting':
      return null;
    case 'failed':
      // A picked companion that cannot be reached must not lock the choice: the defaults stay one click away.
      return (
        <p className="muted" data-testid="serac-threshold-unavailable">
          SERAC threshold: {gate.message}{' '}
          <button type="button" onClick={() => onSetCompanions({})}>
            Use the default SERAC companions
          </button>
        </p>
      );
    case 'ready': {
      const { threshold, defaultThreshold, companions, problems } = gate.value;
      return (
        <div className="muted" data-testid="serac-gate">
          {problems.map((problem) => (
            <p className="notice warn" key={problem}>
              {problem}
            </p>
          ))}
          <p>
            SERAC scores every stored edit against a prompt with its scope model; the counterfactual answers
            from the best edit when its score is at least the threshold ={' '}
            <span data-testid="serac-threshold">{threshold ?? 'not calibrated yet'}</span>, else the base
            model does. A lower threshold reaches more paraphrases and more unrelated prompts.
          </p>
          <SeracCompanions value={gate.value} />
          {companions.scope.kind === 'embedding' && (
            <Calibration
              calibrating={calibrating}
              again={defaultThreshold !== null}
              onCalibrate={onCalibrate}
              onCancel={onCancel}
            />
          )}
          {threshold !== null && (
            <ThresholdForm
              key={threshold}
              label="SERAC threshold"
              short="threshold"
              value={threshold}
              defaultValue={defaultThreshold ?? threshold}
              onSet={(value) => onSetThreshold(value === defaultThreshold ? null : value)}
            />
          )}
          <CompanionPicks value={gate.value} onSet={onSetCompanions} />
        </div>
      );
    }
  }
}

function Calibration({
  calibrating,
  again,
  onCalibrate,
  onCancel,
}: {
  calibrating: SeracCalibrating;
  again: boolean;
  onCalibrate: () => void;
  onCancel: () => void;
}) {
  if (calibrating.state === 'running') {
    return (
      <div data-testid="serac-calibrating">
        <p>Loading SERAC’s companions and calibrating the scope threshold…</p>
        <ProgressList progress={calibrating.progress} />
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <p>
      <button type="button" onClick={onCalibrate}>
        {again ? 'Calibrate the scope threshold again' : 'Calibrate the scope threshold now'}
      </button>
      {calibrating.state === 'cancelled' && ' Calibration cancelled: nothing was stored.'}
      {calibrating.state === 'failed' && (
        <span className="notice error" data-testid="serac-calibration-failed">
          {' '}
          Calibration failed ({calibrating.code}): {calibrating.message}
        </span>
      )}
    </p>
  );
}

/** Hub repos (or URLs) of other companions; empty fields go back to the default choice. */
function CompanionPicks({
  value,
  onSet,
}: {
  value: SeracThreshold;
  onSet: (picks: ParamsOf<'seracSetCompanions'>) => void;
}) {
  const { picks } = value.companions;
  const [scopeModel, setScopeModel] = useState(picks.scopeModel ?? '');
  const [counterfactualModel, setCounterfactualModel] = useState(picks.counterfactualModel ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSet({
      ...(scopeModel.trim() ? { scopeModel: scopeModel.trim() } : {}),
      ...(counterfactualModel.trim() ? { counterfactualModel: counterfactualModel.trim() } : {}),
    });
  };
  return (
    <details>
      <summary>Other SERAC companions</summary>
      <form onSubmit={submit} className="serac-picks">
        <label>
          Scope model (a hub sentence-embedding model; empty: the default for this base model, e.g.{' '}
          {DEFAULT_SCOPE_MODEL}){' '}
          <input
            value={scopeModel}
            onChange={(e) => setScopeModel(e.target.value)}
            placeholder={DEFAULT_SCOPE_MODEL}
          />
        </label>
        <label>
          Counterfactual model (a hub model, or {BASE_COUNTERFACTUAL}: the base model itself with the edit in
          context; empty: the default){' '}
          <input
            value={counterfactualModel}
            onChange={(e) => setCounterfactualModel(e.target.value)}
            placeholder="the base model itself"
          />
        </label>
        <button type="submit">Use these companions</button>
      </form>
    </details>
  );
}
