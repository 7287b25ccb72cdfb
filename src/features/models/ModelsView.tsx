// The Models view: pick and load a base model, watch its download/compile progress, cancel it,
// and see what the loaded model is, the memory it takes, and its card; the known hub models' sizes
// and the hub models cached in this browser.
import { lazy, Suspense } from 'react';
import { ProgressList } from '../../components/ProgressList';
import { useModel } from '../../hooks/model-context';
import { describeSource } from '../../models/hub';
import { CachedModels } from './components/CachedModels';
import { LoadForm } from './components/LoadForm';
import { ModelCard } from './components/ModelCard';
import { useAdapterLimits } from './hooks/useAdapterLimits';

// The card's Markdown renderer (165 kB minified against 277 kB for the rest of the app, build of
// 2026-11-24) is fetched when the Models view first shows a card, not with the app; the service worker
// precaches it for offline use all the same.
const ModelReadme = lazy(() => import('./components/ModelReadme').then((m) => ({ default: m.ModelReadme })));

export function ModelsView() {
  const { model, active, load, cancelLoad } = useModel();
  const limits = useAdapterLimits();
  return (
    <section>
      <h2>Base model</h2>
      <LoadForm busy={model.state === 'loading'} limits={limits} onLoad={load} />
      {model.state === 'none' && <p className="muted">No model loaded.</p>}
      {model.state === 'loading' && (
        <div data-testid="model-loading">
          <p>
            Loading {describeSource(model.request.source)} ({model.request.precision})…{' '}
            <button onClick={cancelLoad}>Cancel</button>
          </p>
          <ProgressList progress={model.progress} />
        </div>
      )}
      {model.state === 'failed' && (
        <p className="notice error" data-testid="model-error">
          Could not load {describeSource(model.request.source)} ({model.code}): {model.message}
        </p>
      )}
      {active && (
        <>
          {model.state !== 'ready' && <h3>Still loaded</h3>}
          {active.notCached && (
            <p className="notice warn" data-testid="model-not-cached">
              Loaded, but not cached: {[...new Set(active.notCached.map((n) => n.reason))].join('; ')} (
              {active.notCached.map((n) => n.file).join(', ')}). It downloads again next time.
            </p>
          )}
          <ModelCard summary={active} />
          <Suspense fallback={<p className="muted">Loading the model card…</p>}>
            <ModelReadme source={active.source} />
          </Suspense>
        </>
      )}
      <CachedModels version={model} />
    </section>
  );
}
