// An incoming share link, before anything is imported: what it carries and for which model, with
// Import (trains its edits after the stored ones) and Dismiss; a broken link says why, and an older link
// without a checksum says that it could not be checked.
import type { IncomingLink } from '../hooks/useShareLink';

export function SharedLinkBanner({
  incoming,
  modelId,
  busy,
  onImport,
  onDismiss,
}: {
  incoming: IncomingLink;
  modelId: string | null;
  busy: boolean;
  onImport: () => void;
  onDismiss: () => void;
}) {
  if (incoming.state === 'none') return null;
  if (incoming.state === 'reading') return <p className="notice">Reading the shared link…</p>;
  if (incoming.state === 'invalid') {
    return (
      <div className="notice error" data-testid="share-invalid">
        This share link is broken: {incoming.message}. Your stored edits are untouched.{' '}
        <button onClick={onDismiss}>Dismiss</button>
      </div>
    );
  }
  const { set, checked } = incoming;
  const { edits, model } = set;
  return (
    <div className="notice" data-testid="share-incoming">
      <p>
        This link carries {edits.length} MEMOIR edit{edits.length === 1 ? '' : 's'} made on {model}:
      </p>
      <ul>
        {edits.map((e, i) => (
          <li key={i}>
            “{e.prompt}” → “{e.target.trim()}”
          </li>
        ))}
      </ul>
      {!checked && (
        <p className="notice warn" data-testid="share-unchecked">
          This is an older link with no integrity check: if it was damaged on the way, these may not be the
          edits that were shared. Read them before importing.
        </p>
      )}
      {modelId !== null && modelId !== model && (
        <p className="notice warn">
          The loaded model is {modelId}: importing trains these edits into its memory instead.
        </p>
      )}
      <p className="muted">Importing trains them one by one after your stored edits; nothing is replaced.</p>
      <button disabled={busy || modelId === null} onClick={onImport}>
        Import: train {edits.length} edit{edits.length === 1 ? '' : 's'}
      </button>{' '}
      <button onClick={onDismiss}>Dismiss</button>
    </div>
  );
}
