// The search field over the stored edits and the count line beside it ("1,000 edits, 12 match", and how
// many of the matches are shown). Not the filtering (edit-filter.ts) nor the list (EditList).
import { matchSummary } from './edit-filter';

export function EditSearch({
  query,
  onQuery,
  total,
  matches,
  shown,
}: {
  query: string;
  onQuery: (query: string) => void;
  total: number;
  matches: number;
  shown: number;
}) {
  return (
    <p className="edit-search">
      <input
        type="search"
        aria-label="Search edits"
        placeholder="Search prompts and answers"
        value={query}
        onChange={(event) => onQuery(event.target.value)}
      />{' '}
      <span className="muted" data-testid="edit-count" aria-live="polite">
        {matchSummary(total, matches, query)}
        {shown < matches && ` (showing the first ${shown.toLocaleString('en-US')})`}
      </span>
    </p>
  );
}
