// The eval CLI's --preset: auto takes the calibration shipped next to the model at the run's precision
// (and says where it came from); the fixed presets are defaultMemoirConfig's.
import { describe, expect, it } from 'vitest';
import { defaultMemoirConfig } from '../../src/editors/memoir/config';
import type { EditableModel } from '../../src/editors/memoir/model';
import { appPreset, presetConfig, shippedCalibration } from './calibration';

const dir = 'public/models/editscope-facts';
const dims = { layers: 4, C: 128, H: 2048, V: 4096 };
/** presetConfig reads only the dims unless it has to calibrate. */
const model = { id: 'local:editscope-facts', dims } as EditableModel;
const opts = { calibrationSet: 'unused.json', background: [], quiet: true };

describe('eval CLI presets', () => {
  it('auto runs the calibration shipped with the model at this precision', async () => {
    const shipped = shippedCalibration(dir, 'f32', dims)!;
    expect(shipped.file).toBe(`${dir}/memoir-calibration.json`);
    const { config, used } = await presetConfig('auto', model, dir, { ...opts, precision: 'f32' });
    expect(config).toEqual(shipped.calibration.chosen);
    expect(used).toMatchObject({
      requested: 'auto',
      label: shipped.calibration.chosenLabel,
      source: shipped.file,
    });
  });

  it('finds no shipped calibration at another precision, for another shape or without a file', () => {
    expect(shippedCalibration(dir, 'q8', dims)).toBeNull();
    expect(shippedCalibration(dir, 'f32', { layers: 4, H: 64 })).toBeNull();
    expect(shippedCalibration('public/models/editscope-scope', 'f32', dims)).toBeNull();
  });

  it('runs paper and last-zscore as fixed presets; a model folder falls back to last-zscore', async () => {
    const { config, used } = await presetConfig('paper', model, dir, { ...opts, precision: 'f32' });
    expect(config).toEqual(defaultMemoirConfig(dims, 'paper'));
    expect(used).toMatchObject({ label: 'layer 3 · k 585 · mean, centred', tau: 0.4 });
    expect(appPreset(dir)).toBe('last-zscore');
    expect(appPreset('HuggingFaceTB/SmolLM2-135M')).toBe('paper');
  });
});
