// Keeping the edits: whether the browser keeps this site's storage (and why it is asked), a backup file of
// the edits with their trained memory to download, and restoring one. A backup is restored only into an
// empty edit list, so an import never takes the place of the person's edits.
import { useState, type ChangeEvent } from 'react';
import type { Persistence } from '../hooks/useStoragePersistence';

const PERSISTENCE_LINES: Record<Persistence['state'] | 'asked-denied' | 'not-asked', string | null> = {
  checking: null,
  unsupported:
    'This browser cannot be asked to keep the stored edits: it may remove them when the disk runs low.',
  persisted: 'The browser keeps the stored edits (persistent storage granted).',
  'best-effort': null,
  'not-asked':
    'When the first edit is stored, Editscope asks the browser for persistent storage, so the edits are ' +
    'not removed when the disk runs low.',
  'asked-denied':
    'The browser did not grant persistent storage: it may remove the stored edits when the disk runs low. ' +
    'Export a backup to keep them.',
};

function persistenceLine(p: Persistence): string | null {
  if (p.state !== 'best-effort') return PERSISTENCE_LINES[p.state];
  return PERSISTENCE_LINES[p.asked ? 'asked-denied' : 'not-asked'];
}

/** Saves `text` as a file named `fileName` through the browser's download. */
function download(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

export function BackupPanel({
  inForce,
  stored,
  busy,
  persistence,
  onExport,
  onImport,
}: {
  /** Edits in force (what a backup holds). */
  inForce: number;
  /** Every stored edit, in force or not: an import waits until there are none. */
  stored: number;
  busy: boolean;
  persistence: Persistence;
  onExport: () => Promise<{ fileName: string; text: string }>;
  onImport: (text: string) => Promise<void>;
}) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const line = persistenceLine(persistence);

  const exportBackup = () =>
    onExport().then(
      ({ fileName, text }) => {
        download(fileName, text);
        setMessage({ ok: true, text: `Saved ${inForce} edits to ${fileName}.` });
      },
      (error: Error) => setMessage({ ok: false, text: `Export failed: ${error.message}` }),
    );

  const importBackup = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // the same file can be chosen again after a refusal
    if (!file) return;
    setMessage(null);
    await onImport(await file.text()).then(
      () => setMessage({ ok: true, text: `Restored the edits of ${file.name}.` }),
      (error: Error) => setMessage({ ok: false, text: `Import failed: ${error.message}` }),
    );
  };

  return (
    <div className="backup" data-testid="backup-panel">
      <h3>Keeping your edits</h3>
      {line && (
        <p className="muted" data-testid="storage-persistence">
          {line}
        </p>
      )}
      <button onClick={() => void exportBackup()} disabled={inForce === 0 || busy}>
        Export backup
      </button>{' '}
      <label>
        Import backup{' '}
        <input
          type="file"
          accept=".json,application/json"
          aria-label="Import backup file"
          disabled={stored > 0 || busy}
          onChange={(e) => void importBackup(e)}
        />
      </label>
      {stored > 0 && (
        <p className="muted">
          A backup is restored into an empty edit list: delete the stored edits first (export them to keep a
          copy).
        </p>
      )}
      {message && (
        <p className={message.ok ? 'notice ok' : 'notice error'} data-testid="backup-message">
          {message.text}
        </p>
      )}
    </div>
  );
}
