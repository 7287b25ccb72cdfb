// How a view shows a worker call that failed: "<what> failed (<code>): <message>". When the GPU device
// was lost, the model must be loaded again (the worker then takes a fresh device), so the notice offers
// that in place instead of sending the person to the Models view.
import { useModel } from '../hooks/model-context';

export function CallFailed({
  what,
  failure,
  testId,
}: {
  what: string;
  failure: { code: string; message: string };
  testId?: string;
}) {
  const { active, load } = useModel();
  return (
    <p className="notice error" data-testid={testId}>
      {what} failed ({failure.code}): {failure.message}
      {failure.code === 'DEVICE_LOST' && active && (
        <>
          {' '}
          <button
            onClick={() =>
              load({ source: active.source, precision: active.precision, backend: active.backend })
            }
          >
            Reload the model
          </button>
        </>
      )}
    </p>
  );
}
