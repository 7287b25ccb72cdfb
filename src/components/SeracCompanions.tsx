// Which companion models SERAC uses for the loaded base model and why, in words (Edit and Compare views):
// the scope model with its threshold and where the threshold came from, and the counterfactual with the
// form it reads the edit in. Only text: the controls to change them are the Edit view's.
import type { SeracThreshold } from '../worker/protocol';

const SCOPE_KIND = {
  'cross-encoder': 'a cross-encoder trained for SERAC',
  embedding: 'a sentence-embedding model (SERAC’s embedding mode)',
} as const;

const COUNTERFACTUAL_KIND = {
  trained: 'trained for SERAC: it reads the edit, a separator and the prompt',
  'in-context': 'it reads the edit in context (“New fact: <edit>.” on a line before the prompt)',
  chat: 'it reads the edit and the prompt as a user turn of its chat template and continues the prompt',
} as const;

/** Where the threshold SERAC routes with came from, in words (a sentence's end, with its stop). */
export function thresholdOrigin(value: SeracThreshold): string {
  const { source, defaultThreshold, calibration } = value;
  switch (source) {
    case 'user':
      return `set by you (the scope model’s own: ${defaultThreshold ?? 'not calibrated yet'}).`;
    case 'card':
      return 'from the scope model’s card.';
    case 'calibrated':
      return `calibrated for this base model on the calibration set. ${calibration?.reason ?? ''}`;
    case 'uncalibrated':
      return 'not calibrated yet: the first SERAC answer (or Calibrate) calibrates it on the calibration set.';
  }
}

export function SeracCompanions({ value }: { value: SeracThreshold }) {
  const { scope, counterfactual } = value.companions;
  return (
    <ul className="serac-companions" data-testid="serac-companions">
      <li data-testid="serac-scope-model">
        Scope model: <code>{scope.model}</code>, {SCOPE_KIND[scope.kind]}: {scope.reason}. Threshold{' '}
        {value.threshold ?? '—'}, {thresholdOrigin(value)}
      </li>
      <li data-testid="serac-counterfactual">
        Counterfactual: {counterfactual.model ? <code>{counterfactual.model}</code> : 'the base model itself'}
        , {COUNTERFACTUAL_KIND[counterfactual.kind]}: {counterfactual.reason}.
      </li>
    </ul>
  );
}
