// Minimal History-API routing: the current view from location.pathname, and navigation that
// keeps the hash (share links) intact.
import { useCallback, useEffect, useState } from 'react';
import { pathForView, viewFromPath, type ViewId } from './routes';

export function useRoute(): [ViewId, (view: ViewId) => void] {
  const [view, setView] = useState(() => viewFromPath(location.pathname));
  useEffect(() => {
    const onPop = () => setView(viewFromPath(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: ViewId) => {
    history.pushState(null, '', pathForView(next) + location.search + location.hash);
    setView(next);
  }, []);
  return [view, navigate];
}
