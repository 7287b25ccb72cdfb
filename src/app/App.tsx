// The app shell: header, navigation between the feature views, and the selected view.
// Composes features; features never import each other. Each view renders inside its own ViewBoundary, so
// a view that fails to render leaves the header, the navigation and the other views working.
import { useState, type ReactElement } from 'react';
import { ViewBoundary } from '../components/ViewBoundary';
import { AboutView } from '../features/about/AboutView';
import { BenchmarkView } from '../features/benchmark/BenchmarkView';
import { CompareView } from '../features/compare/CompareView';
import { EditView } from '../features/edit/EditView';
import { LessonView } from '../features/lesson/LessonView';
import { MemoryView } from '../features/memory/MemoryView';
import { ModelsView } from '../features/models/ModelsView';
import { ProbeView } from '../features/probe/ProbeView';
import { ScopeView } from '../features/scope/ScopeView';
import { SystemView } from '../features/system/SystemView';
import { ModelBadge } from './ModelBadge';
import { PresentationToggle } from './PresentationToggle';
import { DEFAULT_VIEW, VIEWS, type ViewId } from './routes';
import { useRoute } from './useRoute';
import { Welcome } from './Welcome';

const viewElements: Record<ViewId, () => ReactElement> = {
  edit: () => <EditView />,
  probe: () => <ProbeView />,
  scope: () => <ScopeView />,
  lesson: () => <LessonView />,
  memory: () => <MemoryView />,
  benchmark: () => <BenchmarkView />,
  compare: () => <CompareView />,
  models: () => <ModelsView />,
  system: () => <SystemView />,
  about: () => <AboutView />,
};

export function App() {
  const [view, navigate] = useRoute();
  /** The view shown before this one, where a failed view's "Go back" leads. */
  const [previous, setPrevious] = useState<ViewId | null>(null);
  const go = (next: ViewId) => {
    if (next !== view) setPrevious(view);
    navigate(next);
  };
  const title = VIEWS.find(({ id }) => id === view)!.title;
  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header>
        <h1>
          <img src="/icon.svg" alt="" width={28} height={28} /> Editscope
        </h1>
        <nav aria-label="Views">
          {VIEWS.map(({ id, title }) => (
            <a
              key={id}
              href={`/${id}`}
              aria-current={id === view ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                go(id);
              }}
            >
              {title}
            </a>
          ))}
        </nav>
        <ModelBadge />
        <PresentationToggle />
      </header>
      {/* tabIndex -1: the skip link moves the focus here, so the next Tab starts inside the view. */}
      <main id="content" tabIndex={-1}>
        {view === DEFAULT_VIEW && <Welcome onModels={() => go('models')} />}
        {/* Keyed by view: leaving a failed view and coming back renders it afresh. */}
        <ViewBoundary
          key={view}
          view={title}
          onBack={previous && previous !== view ? () => go(previous) : undefined}
        >
          {viewElements[view]()}
        </ViewBoundary>
      </main>
    </div>
  );
}
