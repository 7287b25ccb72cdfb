// The hub models kept in this browser (Cache API), by repo@revision with their files' sizes: delete
// one (it downloads again next time), or all after a confirmation. Bundled models are the app's own
// files (service worker) and are not listed.
import { describeSource } from '../../../models/hub';
import { useCachedModels } from '../hooks/useCachedModels';
import { formatBytes } from '../known-sizes';

export function CachedModels({ version }: { version: unknown }) {
  const { models, error, remove, clear } = useCachedModels(version);
  const clearAll = () => {
    if (window.confirm('Delete every cached hub model? They download again when loaded.')) void clear();
  };
  return (
    <section data-testid="cached-models">
      <h3>Cached in this browser</h3>
      {error && <p className="notice error">{error}</p>}
      {models?.length === 0 && <p className="muted">No hub model is cached.</p>}
      {models && models.length > 0 && (
        <>
          <ul>
            {models.map((m) => {
              const name = describeSource(m.source) + (m.source.host ? ` (${m.source.host})` : '');
              return (
                <li
                  key={`${m.source.host ?? ''} ${describeSource(m.source)}`}
                  data-model={describeSource(m.source)}
                >
                  <strong>{name}</strong> {formatBytes(m.bytes)}{' '}
                  <span className="muted">
                    ({m.files.map((f) => `${f.file} ${formatBytes(f.bytes)}`).join(', ')})
                  </span>{' '}
                  <button type="button" onClick={() => void remove(m)} aria-label={`Delete ${name}`}>
                    Delete
                  </button>
                </li>
              );
            })}
          </ul>
          <button type="button" onClick={clearAll}>
            Delete all cached models
          </button>
        </>
      )}
    </section>
  );
}
