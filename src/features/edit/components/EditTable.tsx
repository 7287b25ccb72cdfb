// A table of stored edits: each edit's prompt and new answer, the columns a list adds, and its buttons.
import type { ReactNode } from 'react';
import type { EditText } from '../../../worker/protocol';

export interface EditColumn<E> {
  header: string;
  cell: (edit: E) => ReactNode;
}

export function EditTable<E extends EditText>({
  edits,
  testId,
  columns = [],
  actions,
}: {
  edits: E[];
  testId: string;
  columns?: EditColumn<E>[];
  actions: (edit: E) => ReactNode;
}) {
  return (
    <table className="facts edit-list" data-testid={testId}>
      <thead>
        <tr>
          <th>Prompt</th>
          <th>New answer</th>
          {columns.map((c) => (
            <th key={c.header}>{c.header}</th>
          ))}
          <th>
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {edits.map((e) => (
          <tr key={e.id}>
            <td>{e.prompt}</td>
            <td>{e.target.trim()}</td>
            {columns.map((c) => (
              <td key={c.header}>{c.cell(e)}</td>
            ))}
            <td>{actions(e)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
