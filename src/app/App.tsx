// The app shell: header, navigation between the feature views, and the selected view.
// Composes features; features never import each other.
import type { ReactElement } from 'react';
import { PlannedView } from '../components/PlannedView';
import { AboutView } from '../features/about/AboutView';
import { SystemView } from '../features/system/SystemView';
import { VIEWS, type ViewId } from './routes';
import { useRoute } from './useRoute';

const viewElements: Record<ViewId, () => ReactElement> = {
  edit: () => <PlannedView title="Edit" summary="Add an edit (prompt → new answer) and watch it train." />,
  probe: () => <PlannedView title="Probe" summary="Ask the base and the edited model side by side." />,
  scope: () => <PlannedView title="Scope" summary="Explore where an edit reaches: paraphrases, neighbours, text." />,
  compare: () => <PlannedView title="Compare" summary="SERAC and MEMOIR on the same edits and probes." />,
  models: () => <PlannedView title="Models" summary="Load the bundled demo model or a hub model; pick precision." />,
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
      </header>
      <main>{viewElements[view]()}</main>
    </div>
  );
}
