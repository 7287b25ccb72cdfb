// What a view shows while no model answers its calls: the load in progress (per-file progress), a load
// that failed, or that none was started, and what the view will do once a model is ready. Reads the
// model context; renders nothing once a model is active.
import { useModel } from '../hooks/model-context';
import { describeSource } from '../models/hub';
import { ProgressList } from './ProgressList';

/** `then`: what the view does once a model is ready, said after "Once it is loaded, this view will",
 *  e.g. "train MEMOIR edits of it". */
export function ModelLoading({ then }: { then: string }) {
  const { model, active } = useModel();
  if (active) return null;
  const once = `Once it is loaded, this view will ${then}.`;
  switch (model.state) {
    case 'loading':
      return (
        <div className="notice" data-testid="model-waiting">
          <p>
            Loading {describeSource(model.request.source)} ({model.request.precision}): its weights are read
            (downloaded the first time, then from this browser's cache) and uploaded to the backend. {once}
          </p>
          <ProgressList progress={model.progress} />
        </div>
      );
    case 'failed':
      return (
        <p className="notice error" data-testid="model-waiting">
          {describeSource(model.request.source)} did not load ({model.code}): {model.message}. Choose a model
          in the Models view. {once}
        </p>
      );
    default:
      return (
        <p className="notice warn" data-testid="model-waiting">
          No model is loaded: choose one in the Models view. {once}
        </p>
      );
  }
}
