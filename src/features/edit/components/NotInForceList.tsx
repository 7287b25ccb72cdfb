// Stored edits whose trained change could not be restored (an unreadable or unfitting MEMOIR record): the
// prompt and answer the user typed survive (SERAC still holds them), so each can be trained again in its
// place, or removed.
import type { EditText } from '../../../worker/protocol';
import { EditTable } from './EditTable';

export function NotInForceList({
  edits,
  busy,
  onReapply,
  onRemove,
}: {
  edits: EditText[];
  /** An edit is training: nothing else may start. */
  busy: boolean;
  onReapply: (edit: EditText) => void;
  onRemove: (ids: string[]) => void;
}) {
  if (edits.length === 0) return null;
  return (
    <>
      <h3>Not in force in MEMOIR</h3>
      <p className="muted">
        What training changed for these stored edits could not be restored (see the notices above), so MEMOIR
        does not apply them; SERAC, which keeps only an edit’s prompt and answer, still does. Apply one again
        to retrain it in MEMOIR, or remove it from both.
      </p>
      <EditTable
        edits={edits}
        testId="not-in-force"
        actions={(e) => (
          <>
            <button disabled={busy} onClick={() => onReapply(e)} aria-label={`Apply again ${e.prompt}`}>
              Apply again
            </button>{' '}
            <button disabled={busy} onClick={() => onRemove([e.id])} aria-label={`Remove ${e.prompt}`}>
              Remove
            </button>
          </>
        )}
      />
    </>
  );
}
