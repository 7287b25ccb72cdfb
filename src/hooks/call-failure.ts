// How a worker call that did not return ends up in a view's state: cancelled by the person, or failed
// with the worker's error code (the code lets a view branch, e.g. DEVICE_LOST → reload the model).
export type CallFailure = { state: 'cancelled' } | { state: 'failed'; code: string; message: string };

export function callFailure(error: { code?: string; message: string }): CallFailure {
  return error.code === 'CANCELLED'
    ? { state: 'cancelled' }
    : { state: 'failed', code: error.code ?? 'INTERNAL', message: error.message };
}
