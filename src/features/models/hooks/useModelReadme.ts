// Fetches the loaded model's card (README.md of its repo) for the Models view; a model without one, or
// one whose card cannot be fetched, says so instead. A new model drops the previous fetch.
import { useEffect, useState } from 'react';
import { cardBody } from '../../../models/card';
import { describeSource, fetchText, type ModelSource } from '../../../models/hub';

type Fetched =
  { state: 'none' } | { state: 'ready'; markdown: string } | { state: 'failed'; message: string };
export type ReadmeState = { state: 'loading' } | Fetched;

export function useModelReadme(source: ModelSource): ReadmeState {
  const key = describeSource(source);
  /** The last fetch's outcome and the model it was for; another model's is still loading. */
  const [fetched, setFetched] = useState<{ key: string; readme: Fetched } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const settle = (readme: Fetched) => {
      if (!controller.signal.aborted) setFetched({ key, readme });
    };
    fetchText(source, 'README.md', { optional: true, signal: controller.signal }).then(
      (text) => settle(text === null ? { state: 'none' } : { state: 'ready', markdown: cardBody(text) }),
      (error: Error) => settle({ state: 'failed', message: error.message }),
    );
    return () => controller.abort();
    // The source is compared by the model it names, not by object identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return fetched?.key === key ? fetched.readme : { state: 'loading' };
}
