// Choose what to load: a bundled model, or a hub repo id (optionally @revision, with an access token
// for gated repos, kept in this form's memory only) or the URL of a model folder in the hub's layout
// (a self-hosted copy), the weight precision and the backend. The known hub models are listed with
// their sizes; choosing one fills the hub field.
import { useState, type FormEvent } from 'react';
import { parseModelRef, type ModelSource } from '../../../models/hub';
import { BUNDLED_MODELS, HUB_SUGGESTIONS, bundledSource } from '../../../models/registry';
import type { LoadRequest } from '../../../hooks/model-context';
import type { WeightPrecision } from '../../../worker/protocol';
import type { BackendLimits, BackendName } from '../../../engine/backend';
import { KnownModels } from './KnownModels';

const PRECISIONS: { value: WeightPrecision; label: string }[] = [
  { value: 'f32', label: 'f32 (exact)' },
  { value: 'f16', label: 'f16 (½ the memory)' },
  { value: 'q8', label: 'int8 blocks (¼ the memory)' },
  { value: 'q4', label: 'int4 blocks (⅛ the memory)' },
];

/** What the hub field names (parseModelRef's rules), or null while it names nothing loadable. */
function sourceOf(ref: string): ModelSource | null {
  try {
    return parseModelRef(ref);
  } catch {
    return null;
  }
}

export function LoadForm({
  busy,
  limits,
  onLoad,
}: {
  busy: boolean;
  /** This adapter's buffer limits, for the known models' warnings; null without WebGPU. */
  limits: BackendLimits | null;
  onLoad: (request: LoadRequest) => void;
}) {
  const [origin, setOrigin] = useState<'bundled' | 'hub'>('bundled');
  const [bundled, setBundled] = useState(BUNDLED_MODELS[0].name);
  const [repo, setRepo] = useState('');
  const [token, setToken] = useState('');
  const [precision, setPrecision] = useState<WeightPrecision>('f32');
  const [backend, setBackend] = useState<BackendName | 'auto'>('auto');
  const hubSource = sourceOf(repo.trim());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const source = origin === 'bundled' ? bundledSource(bundled) : hubSource;
    const accessToken = source?.kind === 'hub' ? token.trim() || undefined : undefined;
    if (source) onLoad({ source, precision, backend, accessToken });
  };

  return (
    <form className="load-form" onSubmit={submit}>
      <fieldset>
        <legend>Model</legend>
        <label>
          <input type="radio" checked={origin === 'bundled'} onChange={() => setOrigin('bundled')} /> Bundled{' '}
          <select
            value={bundled}
            onChange={(e) => setBundled(e.target.value)}
            disabled={origin !== 'bundled'}
          >
            {BUNDLED_MODELS.filter((m) => m.role === 'base').map((m) => (
              <option key={m.name} value={m.name}>
                {m.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="radio" checked={origin === 'hub'} onChange={() => setOrigin('hub')} /> Hugging Face hub{' '}
          <input
            list="hub-suggestions"
            placeholder="owner/name[@revision] (e.g. HuggingFaceTB/SmolLM2-135M) or a folder URL"
            value={repo}
            onChange={(e) => {
              setRepo(e.target.value);
              setOrigin('hub');
            }}
            aria-label="Hub repo id"
          />
          <datalist id="hub-suggestions">
            {HUB_SUGGESTIONS.map((id) => (
              <option key={id} value={id} />
            ))}
          </datalist>
        </label>
        {hubSource?.kind === 'hub' && (
          <label>
            Access token (gated repos only; kept in memory, never stored){' '}
            <input
              type="password"
              autoComplete="off"
              placeholder="hf_…"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-label="Hub access token"
            />
          </label>
        )}
        <KnownModels
          limits={limits}
          onChoose={(id) => {
            setRepo(id);
            setOrigin('hub');
          }}
        />
      </fieldset>
      <label>
        Precision{' '}
        <select
          value={precision}
          onChange={(e) => setPrecision(e.target.value as WeightPrecision)}
          aria-label="Precision"
        >
          {PRECISIONS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Backend{' '}
        <select
          value={backend}
          onChange={(e) => setBackend(e.target.value as BackendName | 'auto')}
          aria-label="Backend"
        >
          <option value="auto">auto (WebGPU if available)</option>
          <option value="webgpu">WebGPU</option>
          <option value="cpu">CPU reference</option>
        </select>
      </label>{' '}
      <button type="submit" disabled={busy || (origin === 'hub' && !hubSource)}>
        Load
      </button>
    </form>
  );
}
