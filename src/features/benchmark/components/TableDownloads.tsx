// Download one of a run's result tables as CSV (RFC 4180, formula cells defused) or as JSON.
import { toCsv } from '../../../lib/csv';
import { downloadText } from '../../../lib/download';
import { tableJson, type ResultTable } from '../tables';

const TITLES: Record<ResultTable['id'], string> = {
  metrics: 'metrics',
  'by-relation': 'metrics by relation',
  'gate-sweep': 'gate sweep',
};

export function TableDownloads({ table, stem }: { table: ResultTable; stem: string }) {
  const file = `${stem}-${table.id}`;
  const title = TITLES[table.id];
  return (
    <p className="muted">
      Download the {title}:{' '}
      <button
        aria-label={`Download the ${title} as CSV`}
        onClick={() => downloadText(`${file}.csv`, toCsv(table.header, table.rows), 'text/csv')}
      >
        CSV
      </button>{' '}
      <button
        aria-label={`Download the ${title} as JSON`}
        onClick={() => downloadText(`${file}.json`, tableJson(table), 'application/json')}
      >
        JSON
      </button>
    </p>
  );
}
