// The stored MEMOIR edits of the loaded model, newest last: searchable (prompt or answer), PAGE rows at a
// time with "Show more" (10,000 rows at once would freeze the page), each deletable, and all of them at
// once after a confirmation (a class starting over from the trained model). Disabled while an edit trains
// (busy): the worker would queue the deletion behind it anyway, but the list it was chosen from is about
// to change.
import { useDeferredValue, useMemo, useState } from 'react';
import type { EditSummary } from '../../../worker/protocol';
import { filterEdits } from './edit-filter';
import { EditSearch } from './EditSearch';
import { EditTable } from './EditTable';

/** Rows rendered at first and added by each "Show more". */
const PAGE = 100;

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
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(PAGE);
  // The field follows every key at once; the filtering of a long list follows when React has time.
  const deferredQuery = useDeferredValue(query);
  const matches = useMemo(() => filterEdits(edits, deferredQuery), [edits, deferredQuery]);
  if (edits.length === 0) return <p className="muted">No edits yet: the model answers as it was trained.</p>;
  const shown = matches.slice(0, limit);
  return (
    <>
      <EditSearch
        query={query}
        onQuery={(q) => {
          setQuery(q);
          setLimit(PAGE);
        }}
        total={edits.length}
        matches={matches.length}
        shown={shown.length}
      />
      <EditTable
        edits={shown}
        testId="edit-list"
        columns={[{ header: 'Steps', cell: (e) => e.steps }]}
        actions={(e) => (
          <button disabled={busy} onClick={() => onDelete([e.id])} aria-label={`Delete edit ${e.prompt}`}>
            Delete
          </button>
        )}
      />
      {shown.length < matches.length && (
        <button onClick={() => setLimit(limit + PAGE)}>
          Show {Math.min(PAGE, matches.length - shown.length)} more
        </button>
      )}{' '}
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
