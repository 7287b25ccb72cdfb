// The stored MEMOIR edits of the loaded model, newest last: each deletable, and all of them at once after
// a confirmation (a class starting over from the trained model). Disabled while an edit trains (busy):
// the worker would queue the deletion behind it anyway, but the list it was chosen from is about to change.
import { useState } from 'react';
import type { EditSummary } from '../../../worker/protocol';
import { EditTable } from './EditTable';

export function EditList({
  edits,
  busy,
  onDelete,
}: {
  edits: EditSummary[];
  busy: boolean;
  onDelete: (ids: string[]) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  if (edits.length === 0) return <p className="muted">No edits yet: the model answers as it was trained.</p>;
  return (
    <>
      <EditTable
        edits={edits}
        testId="edit-list"
        columns={[{ header: 'Steps', cell: (e) => e.steps }]}
        actions={(e) => (
          <button disabled={busy} onClick={() => onDelete([e.id])} aria-label={`Delete edit ${e.prompt}`}>
            Delete
          </button>
        )}
      />
      {edits.length > 1 && !confirming && (
        <button disabled={busy} onClick={() => setConfirming(true)}>
          Delete all edits
        </button>
      )}
      {edits.length > 1 && confirming && (
        <p className="notice warn" role="alert">
          Delete all {edits.length} edits? The model then answers exactly as it was trained; this cannot be
          undone (share the edits first to keep a copy).{' '}
          <button
            disabled={busy}
            onClick={() => {
              setConfirming(false);
              onDelete(edits.map((e) => e.id));
            }}
          >
            Delete all {edits.length}
          </button>{' '}
          <button onClick={() => setConfirming(false)}>Keep them</button>
        </p>
      )}
    </>
  );
}
