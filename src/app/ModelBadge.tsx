// Header badge: which model is loaded and where, or how its load is going, on every view.
import { useModel } from '../hooks/model-context';
import { describeSource } from '../models/hub';

export function ModelBadge() {
  const { model } = useModel();
  switch (model.state) {
    case 'none':
      return <span className="badge muted">no model</span>;
    case 'loading': {
      const current = Object.values(model.progress).at(-1);
      const percent = current && current.total ? Math.round((100 * current.loaded) / current.total) : 0;
      return (
        <span className="badge" data-testid="model-badge">
          loading {describeSource(model.request.source)}… {current ? `${current.label} ${percent}%` : ''}
        </span>
      );
    }
    case 'ready':
      return (
        <span className="badge ok" data-testid="model-badge" title={describeSource(model.summary.source)}>
          {describeSource(model.summary.source)} · {model.summary.backend} · {model.summary.precision}
        </span>
      );
    case 'failed':
      return (
        <span className="badge error" data-testid="model-badge" title={model.message}>
          model failed to load ({model.code}) — see Models
        </span>
      );
    default: {
      const unreachable: never = model;
      return unreachable;
    }
  }
}
