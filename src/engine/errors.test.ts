// EngineError: message format with the HINT line, and the {code, message} form that crosses postMessage.
import { describe, expect, it } from 'vitest';
import { EngineError, throwIfAborted } from './errors';

describe('EngineError', () => {
  it('appends a HINT line and round-trips through structured clone as {code, message}', () => {
    const e = new EngineError('LOAD', 'hub: /m/x/config.json not found (404)', 'check the model path');
    expect(e.message).toBe('hub: /m/x/config.json not found (404)\nHINT: check the model path');
    const wire = structuredClone(e.toJSON());
    expect(wire).toEqual({ code: 'LOAD', message: e.message });
    const back = EngineError.fromJSON(wire);
    expect(back).toBeInstanceOf(EngineError);
    expect([back.code, back.message]).toEqual([e.code, e.message]);
  });

  it('throwIfAborted throws CANCELLED naming the place', () => {
    const ctrl = new AbortController();
    expect(() => throwIfAborted(ctrl.signal, 'generate')).not.toThrow();
    ctrl.abort();
    expect(() => throwIfAborted(ctrl.signal, 'generate')).toThrow(
      expect.objectContaining({ code: 'CANCELLED', message: 'generate: cancelled' }),
    );
  });
});
