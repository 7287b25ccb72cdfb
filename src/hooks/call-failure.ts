// How a worker call that did not return ends up in a view's state: cancelled by the person, or failed
// with the worker's error code (the code lets a view branch, e.g. DEVICE_LOST → reload the model).
export type CallFailure = { state: 'cancelled' } | { state: 'failed'; code: string; message: string };

export function callFailure(error: { code?: string; message: string }): CallFailure {
  return error.code === 'CANCELLED'
    ? { state: 'cancelled' }
    : { state: 'failed', code: error.code ?? 'INTERNAL', message: error.message };
}

/** How a call ended that must not end the view's whole run (SERAC beside MEMOIR): its result, or its
 *  failure as data. A cancel is the person ending the whole run, so it is rethrown. */
export type Outcome<T> = { state: 'done'; result: T } | { state: 'failed'; code: string; message: string };

export async function outcomeOf<T>(call: Promise<T>): Promise<Outcome<T>> {
  try {
    return { state: 'done', result: await call };
  } catch (error) {
    const failure = callFailure(error as { code?: string; message: string });
    if (failure.state === 'cancelled') throw error;
    return failure;
  }
}
