// The stored MEMOIR edits of the loaded model, newest last, each deletable.
import type { EditSummary } from '../../../worker/protocol';

export function EditList({ edits, onDelete }: { edits: EditSummary[]; onDelete: (id: string) => void }) {
  if (edits.length === 0) return <p className="muted">No edits yet: the model answers as it was trained.</p>;
  return (
    <table className="facts edit-list" data-testid="edit-list">
      <thead>
        <tr>
          <th>Prompt</th>
          <th>New answer</th>
          <th>Steps</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {edits.map((e) => (
          <tr key={e.id}>
            <td>{e.prompt}</td>
            <td>{e.target.trim()}</td>
            <td>{e.steps}</td>
            <td>
              <button onClick={() => onDelete(e.id)} aria-label={`Delete edit ${e.prompt}`}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
