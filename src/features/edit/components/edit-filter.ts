// The Edit view's search over the stored edits: which edits a query matches and how the count reads.
// Pure (no React); EditList shows a bounded page of the matches (a list of 10,000 rows would freeze it).
import type { EditText } from '../../../worker/protocol';

/** The edits whose prompt or new answer contains `query` (trimmed, case-insensitive), in their order;
 *  all of them for an empty query. */
export function filterEdits<E extends Pick<EditText, 'prompt' | 'target'>>(
  edits: readonly E[],
  query: string,
): E[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...edits];
  return edits.filter(
    (e) => e.prompt.toLowerCase().includes(needle) || e.target.toLowerCase().includes(needle),
  );
}

const count = new Intl.NumberFormat('en-US');

/** "1,000 edits" for no query, "1,000 edits, 12 match" for one. */
export function matchSummary(total: number, matches: number, query: string): string {
  const edits = `${count.format(total)} ${total === 1 ? 'edit' : 'edits'}`;
  return query.trim() === ''
    ? edits
    : `${edits}, ${count.format(matches)} ${matches === 1 ? 'matches' : 'match'}`;
}
