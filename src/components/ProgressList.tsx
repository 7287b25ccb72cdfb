// One progress bar per named piece of work (a file, a compile step), as the worker reports them.
import type { Progress } from '../worker/protocol';

function formatAmount(p: Progress): string {
  if (p.total > 4096) return `${(p.loaded / 1048576).toFixed(1)} / ${(p.total / 1048576).toFixed(1)} MiB`;
  return `${p.loaded} / ${p.total}`;
}

export function ProgressList({ progress }: { progress: Record<string, Progress> }) {
  const entries = Object.values(progress);
  if (entries.length === 0) return <p className="muted">Starting…</p>;
  return (
    <ul className="progress-list" data-testid="progress">
      {entries.map((p) => (
        <li key={p.label}>
          <span className="label">
            {p.label}
            {p.from && (
              <span className="muted">
                {p.from === 'shipped' ? ' (shipped with the model)' : ` from ${p.from}`}
              </span>
            )}
          </span>
          <progress max={p.total || 1} value={p.loaded} />
          <span className="muted">
            {p.status === 'done' || p.status === 'ready' ? 'done' : formatAmount(p)}
          </span>
        </li>
      ))}
    </ul>
  );
}
