// The eval CLI's argument parsing: defaults, overrides, and the readable errors a typo gets.
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';

describe('eval CLI args', () => {
  it('parses the documented flags with defaults', () => {
    const o = parseArgs(['--method', 'memoir', '--edits', 'e.json', '--T', '100', '--out', 'r.json']);
    expect(o).toMatchObject({
      method: 'memoir',
      edits: 'e.json',
      T: 100,
      out: 'r.json',
      backend: 'cpu',
      preset: 'auto',
      calibrationSet: 'public/calibration/calibration-set.json',
      from: 0,
    });
    expect(o.memoir).toEqual({});
    const v = parseArgs([
      '--method',
      'memoir',
      '--edits',
      'e',
      '--preset',
      'last-zscore',
      '--k',
      '256',
      '--tau',
      '0.7',
      '--measure',
      '200',
      '--taus',
      '0.4,0.6',
      '--from',
      '1000',
      '--quiet',
    ]);
    expect(v).toMatchObject({
      preset: 'last-zscore',
      memoir: { k: 256, tau: 0.7 },
      measure: 200,
      taus: [0.4, 0.6],
      from: 1000,
      quiet: true,
    });
  });

  it('parses serac with its model defaults and overrides', () => {
    const o = parseArgs(['--method', 'serac', '--edits', 'e.json', '--T', '100', '--out', 'r.json']);
    expect(o).toMatchObject({
      method: 'serac',
      edits: 'e.json',
      T: 100,
      out: 'r.json',
      model: 'public/models/editscope-facts',
      backend: 'cpu',
    });
    expect(o.threshold).toBeUndefined();
    // Unset: the companions the app chooses for --model (cli.ts).
    expect(o.counterfactual).toBeUndefined();
    expect(o.scope).toBeUndefined();
    const v = parseArgs([
      '--method',
      'serac',
      '--edits',
      'e',
      '--counterfactual',
      'base',
      '--scope',
      'sc',
      '--thresholds',
      '0.3,0.9',
      '--threshold',
      '0.7',
      '--measure',
      '10',
    ]);
    expect(v).toMatchObject({
      counterfactual: 'base',
      scope: 'sc',
      threshold: 0.7,
      thresholds: [0.3, 0.9],
      measure: 10,
    });
  });

  it("rejects the other method's flags instead of ignoring them", () => {
    expect(() => parseArgs(['--method', 'serac', '--edits', 'e', '--k', '256', '--tau', '0.5'])).toThrow(
      /--k, --tau: memoir-only flag\(s\), not used by --method serac/,
    );
    expect(() => parseArgs(['--tau', '0.5', '--method', 'serac', '--edits', 'e'])).toThrow(
      /--tau: memoir-only flag/,
    );
    expect(() => parseArgs(['--method', 'memoir', '--edits', 'e', '--scope', 'sc'])).toThrow(
      /--scope: serac-only flag\(s\), not used by --method memoir/,
    );
    expect(() => parseArgs(['--method', 'serac', '--edits', 'e', '--threshold', '1.5'])).toThrow(
      /--threshold must be in \[0, 1\], got "1.5"/,
    );
  });

  it('takes --preset auto, paper or last-zscore and the set auto calibrates on', () => {
    const run = (...extra: string[]) => parseArgs(['--method', 'memoir', '--edits', 'e', ...extra]);
    expect(run('--preset', 'paper').preset).toBe('paper');
    expect(run('--preset', 'auto', '--calibration-set', 'c.json')).toMatchObject({
      preset: 'auto',
      calibrationSet: 'c.json',
    });
  });

  it('rejects bad input with the flag and value named', () => {
    expect(() => parseArgs(['--method', 'rome', '--edits', 'e'])).toThrow(
      /--method must be memoir.*got "rome"/,
    );
    expect(() => parseArgs(['--method', 'memoir'])).toThrow(/--edits <records.json> is required/);
    expect(() => parseArgs(['--method', 'memoir', '--edits', 'e', '--from', '-1'])).toThrow(
      /--from must be >= 0/,
    );
    expect(() => parseArgs(['--method', 'memoir', '--edits', 'e', '--T', '1.5'])).toThrow(
      /--T must be an integer, got "1.5"/,
    );
    expect(() => parseArgs(['--method', 'memoir', '--edits', 'e', '--pooling', 'max'])).toThrow(
      /mean \| last/,
    );
    expect(() => parseArgs(['--method', 'memoir', '--edits', 'e', '--preset', 'calibrated'])).toThrow(
      /--preset must be one of auto \| paper \| last-zscore, got "calibrated"/,
    );
    expect(() => parseArgs(['--method', 'serac', '--edits', 'e', '--calibration-set', 'c.json'])).toThrow(
      /--calibration-set: memoir-only/,
    );
    expect(() => parseArgs(['--method', 'memoir', '--edits'])).toThrow(/expected "--flag value"/);
    expect(() => parseArgs(['--method', 'memoir', '--edits', 'e', '--frobnicate', '1'])).toThrow(
      /unknown flag --frobnicate/,
    );
  });
});
