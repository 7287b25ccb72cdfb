// The Scope view's "Suggest probes": fetches the bundled facts benchmark once per page and finds the
// probes it suggests for an edit prompt (suggest.ts), or says why there are none.
import { useCallback, useState } from 'react';
import { fetchFactsBenchmark } from '../../../eval/facts-benchmark';
import { lazy } from '../../../lib/lazy';
import { suggestProbes, type ProbeSuggestion } from '../suggest';

const benchmark = lazy(fetchFactsBenchmark);

export type Suggestion =
  | { state: 'idle' }
  | { state: 'loading' }
  /** suggestion null: the prompt is none of the benchmark's phrasings. */
  | { state: 'done'; prompt: string; suggestion: ProbeSuggestion | null }
  | { state: 'failed'; message: string };

export function useProbeSuggestion(onSuggested: (suggestion: ProbeSuggestion) => void) {
  const [suggestion, setSuggestion] = useState<Suggestion>({ state: 'idle' });
  const suggest = useCallback(
    (prompt: string) => {
      setSuggestion({ state: 'loading' });
      benchmark().then(
        (records) => {
          const found = suggestProbes(records, prompt);
          setSuggestion({ state: 'done', prompt, suggestion: found });
          if (found) onSuggested(found);
        },
        (error: Error) => setSuggestion({ state: 'failed', message: error.message }),
      );
    },
    [onSuggested],
  );
  return { suggestion, suggest };
}
