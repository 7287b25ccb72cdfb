// The views of the app, in navigation order, and the path-based route that selects one.
// The URL hash is left free for share links (#edits=…, #lesson=…, see src/share).

export const VIEWS = [
  { id: 'edit', title: 'Edit' },
  { id: 'probe', title: 'Probe' },
  { id: 'scope', title: 'Scope' },
  { id: 'lesson', title: 'Lesson' },
  { id: 'memory', title: 'Memory' },
  { id: 'benchmark', title: 'Benchmark' },
  { id: 'compare', title: 'Compare' },
  { id: 'models', title: 'Models' },
  { id: 'system', title: 'System' },
  { id: 'about', title: 'About' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

/** A new visitor lands where the bundled model answers prompts. */
export const DEFAULT_VIEW: ViewId = 'probe';

export function viewFromPath(pathname: string): ViewId {
  const segment = pathname.replace(/^\/+|\/+$/g, '');
  return VIEWS.find((view) => view.id === segment)?.id ?? DEFAULT_VIEW;
}

export function pathForView(view: ViewId): string {
  return `/${view}`;
}
