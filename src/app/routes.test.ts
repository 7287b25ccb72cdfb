import { describe, expect, it } from 'vitest';
import { pathForView, viewFromPath, VIEWS } from './routes';

describe('routes', () => {
  it('maps every view to a path and back', () => {
    for (const { id } of VIEWS) expect(viewFromPath(pathForView(id))).toBe(id);
  });
  it('falls back to the Probe view for unknown or empty paths', () => {
    expect(viewFromPath('/')).toBe('probe');
    expect(viewFromPath('/no-such-view')).toBe('probe');
    expect(viewFromPath('/probe/')).toBe('probe');
  });
});
