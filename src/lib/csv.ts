// Rows to CSV text as RFC 4180 writes it: fields joined by commas, lines by CRLF, a field quoted when
// it holds a comma, a quote, CR or LF, with its quotes doubled. A text cell that a spreadsheet would run
// as a formula (starting with = + - @, or a tab or CR) gets a leading apostrophe, as OWASP's CSV
// injection advice says; numbers are written as they are (a negative number is data, not a formula).
// Not a parser.

export type CsvCell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

function field(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell !== 'string') return String(cell);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row and data rows as CSV, ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');
}
