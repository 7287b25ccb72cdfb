// A plot's text equivalent: the numbers it draws as a plain table (numbers to 3 places, a missing
// value as —). Not a result table of a view: those keep their own meanings and downloads.
export type Cell = string | number | null;

export interface Values {
  header: readonly string[];
  rows: readonly (readonly Cell[])[];
}

const text = (cell: Cell) =>
  cell === null ? '—' : typeof cell === 'number' ? String(+cell.toFixed(3)) : cell;

export function ValuesTable({ values }: { values: Values }) {
  return (
    <table className="facts">
      <thead>
        <tr>
          {values.header.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {values.rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (
              <td key={j}>{text(cell)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
