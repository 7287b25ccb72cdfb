// The edit list as a file in EasyEdit's ZsRE shape ({ src, alt }: src/eval/formats/edit-list.ts):
// download the stored edits, or read an edit file (ZsRE, either CounterFact, the project's records),
// choose its records and apply them as MEMOIR edits after the stored ones, as a share link's Import does.
import { useState } from 'react';
import { readEditList, toZsreEdits, type ListedEdit } from '../../../eval/formats/edit-list';
import { downloadText } from '../../../lib/download';
import { MAX_SHARED_EDITS } from '../../../share/codec';

interface Picked {
  readonly name: string;
  readonly edits: readonly ListedEdit[];
  /** Why records were left out, one line each. */
  readonly skipped: readonly string[];
  /** Indices into edits of those chosen. */
  readonly chosen: ReadonlySet<number>;
}

/** Reads a file's edits, at most MAX_SHARED_EDITS of them: the bound a share link's import has. */
function pick(name: string, text: string): Picked {
  const read = readEditList(text, name);
  const skipped = read.skipped.flatMap((s) => s.problems);
  const past = read.edits.length - MAX_SHARED_EDITS;
  if (past > 0) skipped.push(`${past} more edit(s) past the first ${MAX_SHARED_EDITS}, not offered`);
  const edits = read.edits.slice(0, MAX_SHARED_EDITS);
  return { name, edits, skipped, chosen: new Set(edits.keys()) };
}

export function ZsreFilePanel({
  edits,
  busy,
  onImport,
}: {
  edits: readonly ListedEdit[];
  busy: boolean;
  onImport: (edits: ListedEdit[]) => void;
}) {
  const [picked, setPicked] = useState<Picked | null>(null);
  const [error, setError] = useState<string | null>(null);
  const read = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      setPicked(pick(file.name, await file.text()));
      setError(null);
    } catch (e) {
      setPicked(null);
      setError((e as Error).message);
    }
  };
  const toggle = (i: number) => {
    if (!picked) return;
    const chosen = new Set(picked.chosen);
    if (!chosen.delete(i)) chosen.add(i);
    setPicked({ ...picked, chosen });
  };
  const json = () => `${JSON.stringify(toZsreEdits(edits), null, 2)}\n`;
  return (
    <div className="zsre-file">
      {edits.length > 0 && (
        <button onClick={() => downloadText('editscope-edits-zsre.json', json(), 'application/json')}>
          Download these edits as EasyEdit ZsRE
        </button>
      )}{' '}
      <label>
        Import an edit file (ZsRE, CounterFact)…{' '}
        <input
          type="file"
          accept=".json,.jsonl,application/json"
          disabled={busy}
          onChange={(e) => void read(e.currentTarget)}
        />
      </label>
      {error && <p className="notice error">{error}</p>}
      {picked && (
        <div className="notice" data-testid="zsre-import">
          <p>
            {picked.name}: {picked.edits.length} edit(s) to choose from
            {picked.skipped.length > 0 && `, ${picked.skipped.length} record(s) skipped`}. The chosen ones are
            trained one after another after the stored edits.
          </p>
          <ul>
            {picked.edits.map((e, i) => (
              <li key={i}>
                <label>
                  <input type="checkbox" checked={picked.chosen.has(i)} onChange={() => toggle(i)} />{' '}
                  {e.prompt} → {e.target}
                </label>
              </li>
            ))}
          </ul>
          {picked.skipped.length > 0 && (
            <details>
              <summary>Skipped</summary>
              <ul>
                {picked.skipped.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </details>
          )}
          <button
            disabled={busy || picked.chosen.size === 0}
            onClick={() => {
              onImport(picked.edits.filter((_, i) => picked.chosen.has(i)));
              setPicked(null);
            }}
          >
            Apply {picked.chosen.size} as MEMOIR edits
          </button>{' '}
          <button onClick={() => setPicked(null)}>Dismiss</button>
        </div>
      )}
    </div>
  );
}
