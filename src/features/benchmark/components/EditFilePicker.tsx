// Benchmark view: "Run on a file…": reads an edit file in the page (src/eval/formats: the project's
// records, EasyEdit/MEMOIR ZsRE, KnowEdit's or ROME's CounterFact) and shows what it found: the format,
// the records kept, each skipped record with its reasons, and source fields no metric here measures.
import { useState } from 'react';
import { describeEditFile, readEditFile, type EditFile } from '../../../eval/formats/detect';

export interface ChosenFile {
  readonly name: string;
  readonly file: EditFile;
}

/** Skipped records listed in full up to this many (a published file may skip thousands). */
const SHOWN_SKIPPED = 20;

export function EditFilePicker({
  chosen,
  onChosen,
  disabled,
}: {
  chosen: ChosenFile | null;
  onChosen: (chosen: ChosenFile | null) => void;
  disabled: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const pick = async (input: HTMLInputElement) => {
    const picked = input.files?.[0];
    input.value = ''; // the same file can be chosen again after an edit on disk
    if (!picked) return;
    try {
      const file = readEditFile(await picked.text(), picked.name);
      setError(
        file.records.length === 0 ? `${picked.name}: ${describeEditFile(file)}; nothing to run` : null,
      );
      onChosen(file.records.length === 0 ? null : { name: picked.name, file });
    } catch (e) {
      setError((e as Error).message);
      onChosen(null);
    }
  };
  return (
    <div>
      <label>
        Run on a file…{' '}
        <input
          type="file"
          accept=".json,.jsonl,application/json"
          disabled={disabled}
          onChange={(e) => void pick(e.currentTarget)}
        />
      </label>
      {error && (
        <p className="notice error" data-testid="edit-file-error" style={{ whiteSpace: 'pre-wrap' }}>
          {error}
        </p>
      )}
      {chosen && (
        <div className="notice" data-testid="edit-file-summary">
          <p>
            {chosen.name}: {describeEditFile(chosen.file)}.{' '}
            <button disabled={disabled} onClick={() => onChosen(null)}>
              Use the bundled benchmark instead
            </button>
          </p>
          {chosen.file.skipped.length > 0 && (
            <details>
              <summary>Why {chosen.file.skipped.length} record(s) were skipped</summary>
              <ul data-testid="edit-file-skipped">
                {chosen.file.skipped
                  .slice(0, SHOWN_SKIPPED)
                  .flatMap((s) => s.problems.map((p) => <li key={`${s.index}:${p}`}>{p}</li>))}
              </ul>
              {chosen.file.skipped.length > SHOWN_SKIPPED && (
                <p className="muted">…and {chosen.file.skipped.length - SHOWN_SKIPPED} more.</p>
              )}
            </details>
          )}
          {chosen.file.unmeasured.map((u) => (
            <p key={u} className="muted">
              {u}
            </p>
          ))}
        </div>
      )}
    </div>
  );
}
