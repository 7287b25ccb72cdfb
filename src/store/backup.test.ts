// The backup codec on real MEMOIR edits trained on the toy model (as store/memoir.test.ts makes them): a
// round trip gives the same snapshot bit for bit (masks, deltas, Wm, config with its τ) and an editor
// rebuilt from it answers as the original; every damaged or foreign file is refused with its reason.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultMemoirConfig } from '../editors/memoir/config';
import { deltaValues, type Delta } from '../editors/memoir/delta';
import { MemoirEditor } from '../editors/memoir/editor';
import { computeBackgroundStats } from '../editors/memoir/tophash';
import { ToyModel } from '../editors/memoir/toy-model';
import { MAX_EDIT_TEXT } from '../lib/edit-text';
import { BackupError, decodeBackup, encodeBackup, type BackupTarget } from './backup';

const BACKGROUND = ['the river runs to the sea', 'a bird sang in the garden', 'trains leave before noon'];
const EDITS = [
  { id: 'a', prompt: 'the capital of france is', target: ' rome' },
  { id: 'b', prompt: 'the colour of the sky is', target: ' green' },
];

/** Two edits trained into a memory gated at τ 0.61 (not the default), and the backup of it. */
async function trainedBackup() {
  const model = new ToyModel();
  const config = { ...defaultMemoirConfig({ layers: 1, H: model.dims.H }, 'last-zscore'), prefixCopies: 1 };
  const stats = await computeBackgroundStats(model, 0, BACKGROUND);
  let editor = new MemoirEditor(model, config, stats, BACKGROUND);
  for (const e of EDITS) await editor.applyEdit(e);
  editor = editor.withGate(0.61);
  const createdAt = new Map([
    ['a', 1_700_000_000_000],
    ['b', 1_700_000_000_500],
  ]);
  const target: BackupTarget = { modelId: model.id, C: model.dims.C, H: model.dims.H, layers: 1 };
  const file = await encodeBackup({ snapshot: editor.snapshot(), createdAt }, 1_800_000_000_000);
  return { model, stats, editor, createdAt, target, file };
}

const bytes = (a: Float32Array | Int32Array | Uint16Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const deltaBytes = (d: Delta) => ({ dtype: d.dtype, bytes: bytes(d.dtype === 'f16' ? d.bits : d.values) });

/** The parts of a backup file's JSON the tests change. */
interface FileJson {
  sha256: string;
  body: { memory: { wm: string; config: Record<string, unknown> }; edits: Record<string, unknown>[] };
}

/** The file with its JSON changed by `change` and the checksum made to match again (a crafted file). */
function rewritten(file: string, change: (json: FileJson) => void): string {
  const json = JSON.parse(file) as FileJson;
  change(json);
  json.sha256 = createHash('sha256').update(JSON.stringify(json.body)).digest('hex');
  return JSON.stringify(json);
}

describe('backup', () => {
  it('round-trips the edits, masks, deltas, Wm and τ bit-exactly', async () => {
    const { model, stats, editor, createdAt, target, file } = await trainedBackup();
    const original = editor.snapshot();
    const back = await decodeBackup(file, target);
    expect(back.createdAt).toEqual(createdAt);
    expect(back.snapshot.config).toEqual(original.config);
    expect(back.snapshot.config.tau).toBe(0.61);
    expect(bytes(back.snapshot.wm)).toEqual(bytes(original.wm));
    expect(back.snapshot.edits.map((e) => e.editId)).toEqual(['a', 'b']);
    back.snapshot.edits.forEach((e, i) => {
      const o = original.edits[i];
      expect(e.delta.dtype).toBe('f16');
      expect({ ...e, cols: bytes(e.cols), delta: deltaBytes(e.delta) }).toEqual({
        ...o,
        cols: bytes(o.cols),
        delta: deltaBytes(o.delta),
      });
    });
    // An editor rebuilt from the backup answers as the one that trained the edits.
    const restored = new MemoirEditor(model, back.snapshot.config, stats, BACKGROUND, back.snapshot);
    const prompt = 'the capital of france is';
    expect(await restored.greedy(prompt, 3)).toEqual(await editor.greedy(prompt, 3));
    expect(await encodeBackup(back, 1_800_000_000_000)).toBe(file);
  });

  it('refuses a file that is not a backup, of another version, or of another model', async () => {
    const { target, file } = await trainedBackup();
    const refusal = (text: string, t = target) => decodeBackup(text, t).catch((e: BackupError) => e.message);
    expect(await refusal('not json')).toBe('the file is not JSON (is it an Editscope backup?)');
    expect(await refusal('{"format":"something-else"}')).toBe('the file is not an Editscope backup');
    expect(await refusal(file.replace('"version":2', '"version":3'))).toBe(
      'the backup is format version 3; this app reads versions 1 and 2',
    );
    expect(await refusal(file, { ...target, modelId: '/models/other' })).toBe(
      `the backup is of model ${target.modelId}, not the loaded /models/other`,
    );
    expect(await refusal(file, { ...target, H: target.H * 2 })).toBe(
      `the memory is (C, H)=(${target.C}, ${target.H}); the loaded model's is (${target.C}, ${target.H * 2})`,
    );
  });

  it('reads a version 1 file, whose deltas are f32 without a dtype, as f32 deltas', async () => {
    const { target, file } = await trainedBackup();
    const v1 = rewritten(file.replace('"version":2', '"version":1'), (j) => {
      for (const e of j.body.edits) {
        const half = Buffer.from(String(e.delta), 'base64');
        const values = deltaValues({ dtype: 'f16', bits: new Uint16Array(new Uint8Array(half).buffer) });
        e.delta = Buffer.from(values.buffer).toString('base64');
        delete e.dtype;
      }
    });
    const now = await decodeBackup(file, target);
    const back = await decodeBackup(v1, target);
    expect(back.snapshot.edits).toEqual(
      now.snapshot.edits.map((e) => ({ ...e, delta: { dtype: 'f32', values: deltaValues(e.delta) } })),
    );
    expect(back.snapshot.wm).toEqual(now.snapshot.wm);
  });

  it('refuses a file changed after export by its checksum', async () => {
    const { target, file } = await trainedBackup();
    const changed = file.replace('"prompt":"the capital of france is"', '"prompt":"the capital of spain is"');
    expect(changed).not.toBe(file);
    await expect(decodeBackup(changed, target)).rejects.toThrow(
      'the checksum does not match: the file was changed or damaged',
    );
  });

  it('checks every field of a crafted file whose checksum matches', async () => {
    const { target, file } = await trainedBackup();
    const refusal = (change: (json: FileJson) => void) =>
      decodeBackup(rewritten(file, change), target).catch((e: BackupError) => e.message);
    const nan = Buffer.alloc(2);
    nan.writeUInt16LE(0x7e00); // f16 NaN
    expect(
      await refusal((j) => {
        const delta = Buffer.from(String(j.body.edits[1].delta), 'base64');
        nan.copy(delta, 4);
        j.body.edits[1].delta = delta.toString('base64');
      }),
    ).toBe('edits[1].delta[2] is f16 Inf or NaN, not a finite number');
    expect(await refusal((j) => (j.body.edits[1].dtype = 'f32'))).toMatch(
      /^edits\[1\]\.delta holds \d+ numbers, expected \d+$/,
    );
    expect(await refusal((j) => (j.body.edits[1].dtype = 'bf16'))).toBe('edits[1].dtype is not f16 or f32');
    expect(await refusal((j) => (j.body.edits[0].cols = Buffer.alloc(8).toString('base64')))).toMatch(
      /^edits\[0\]\.cols holds 2 numbers, expected \d+$/,
    );
    expect(
      await refusal((j) => {
        const cols = Buffer.from(String(j.body.edits[0].cols), 'base64');
        cols.writeInt32LE(target.H, 0);
        j.body.edits[0].cols = cols.toString('base64');
      }),
    ).toBe(`edits[0].cols holds ${target.H}, outside [0, ${target.H})`);
    expect(await refusal((j) => (j.body.edits[1].target = 'x'.repeat(MAX_EDIT_TEXT + 1)))).toBe(
      `edits[1].target is ${MAX_EDIT_TEXT + 1} characters long, above the ${MAX_EDIT_TEXT} an edit may have`,
    );
    expect(await refusal((j) => (j.body.edits[1].id = 'a'))).toBe('edits[1].id a appears twice');
    expect(await refusal((j) => (j.body.edits[1].slot = j.body.edits[0].slot))).toMatch(
      /^edits\[1\]\.slot \d+ is not a free slot/,
    );
    expect(await refusal((j) => (j.body.edits[0].loss = null))).toBe('edits[0].loss is not a finite number');
    expect(await refusal((j) => (j.body.memory.config.tau = 1.5))).toBe(
      'memoir config: tau must be in [0, 1], got 1.5',
    );
    expect(await refusal((j) => (j.body.memory.config.prefixWords = 3))).toBe(
      'memory.config is not a MEMOIR config',
    );
    expect(await refusal((j) => (j.body.memory.wm = '***'))).toBe('memory.wm is not base64 text');
  });
});
