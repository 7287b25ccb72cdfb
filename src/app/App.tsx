// The app shell: header, navigation between the feature views, and the selected view.
// Composes features; features never import each other.
import type { ReactElement } from 'react';
import { AboutView } from '../features/about/AboutView';
import { BenchmarkView } from '../features/benchmark/BenchmarkView';
import { CompareView } from '../features/compare/CompareView';
import { EditView } from '../features/edit/EditView';
import { ModelsView } from '../features/models/ModelsView';
import { ProbeView } from '../features/probe/ProbeView';
import { ScopeView } from '../features/scope/ScopeView';
import { SystemView } from '../features/system/SystemView';
import { ModelBadge } from './ModelBadge';
import { VIEWS, type ViewId } from './routes';
import { useRoute } from './useRoute';

const viewElements: Record<ViewId, () => ReactElement> = {
  edit: () => <EditView />,
  probe: () => <ProbeView />,
  scope: () => <ScopeView />,
  benchmark: () => <BenchmarkView />,
  compare: () => <CompareView />,
  models: () => <ModelsView />,
  system: () => <SystemView />,
  about: () => <AboutView />,
};

export function App() {
  const [view, navigate] = useRoute();
  return (
    <div className="shell">
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
                navigate(id);
              }}
            >
              {title}
            </a>
          ))}
        </nav>
        <ModelBadge />
      </header>
      <main>{viewElements[view]()}</main>
    </div>
  );
}
