// Share links on the Edit view: reads an incoming `#edits=` link once (decoded and validated within the
// codec's bounds, never applied by itself), lets the person dismiss it, and builds the link for the
// stored edits.
import { useCallback, useEffect, useState } from 'react';
import { carriesEditSet, decodeEditSet, encodeEditSet, type DecodedLink } from '../../../share/codec';
import type { EditSummary } from '../../../worker/protocol';

export type IncomingLink =
  | { state: 'none' }
  | { state: 'reading' }
  | { state: 'invalid'; message: string }
  | ({ state: 'ready' } & DecodedLink);

const carriesEdits = () => carriesEditSet(location.hash);

export function useShareLink() {
  const [incoming, setIncoming] = useState<IncomingLink>(() =>
    carriesEdits() ? { state: 'reading' } : { state: 'none' },
  );

  useEffect(() => {
    if (!carriesEdits()) return;
    decodeEditSet(location.hash).then(
      (link) => setIncoming(link ? { state: 'ready', ...link } : { state: 'none' }),
      (error: Error) => setIncoming({ state: 'invalid', message: error.message }),
    );
  }, []);

  /** Forgets the incoming link (and drops it from the address bar, so a reload does not offer it again). */
  const dismiss = useCallback(() => {
    history.replaceState(null, '', location.pathname + location.search);
    setIncoming({ state: 'none' });
  }, []);

  const linkFor = useCallback(async (model: string, edits: readonly EditSummary[]) => {
    const fragment = await encodeEditSet({
      method: 'memoir',
      model,
      edits: edits.map(({ prompt, target }) => ({ prompt, target })),
    });
    return `${location.origin}/edit#${fragment}`;
  }, []);

  return { incoming, dismiss, linkFor };
}
