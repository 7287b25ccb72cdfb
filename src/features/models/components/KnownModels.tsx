// The hub models known to load here: what each downloads and takes in memory at each precision,
// which precisions this adapter would refuse (and why), which need a licence and token, which chat.
// Choosing one fills the hub field; loading stays the form's job.
import { useMemo } from 'react';
import type { BackendLimits } from '../../../engine/backend';
import { KNOWN_MODELS } from '../../../models/registry';
import { formatBytes, knownModelSizes, PRECISIONS } from '../known-sizes';

export function KnownModels({
  limits,
  onChoose,
}: {
  limits: BackendLimits | null;
  onChoose: (repo: string) => void;
}) {
  const rows = useMemo(() => KNOWN_MODELS.map((m) => ({ m, sizes: knownModelSizes(m, limits) })), [limits]);
  return (
    <table className="facts known-models" data-testid="known-models">
      <caption>
        Known to load (weights in memory per precision, without activations
        {limits ? '; ⚠ this WebGPU adapter refuses a tensor that large' : ''})
      </caption>
      <thead>
        <tr>
          <th>Repo</th>
          <th>Download</th>
          {PRECISIONS.map((p) => (
            <th key={p}>{p}</th>
          ))}
          <th>
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ m, sizes }) => (
          <tr key={m.repo} data-repo={m.repo}>
            <th>
              {m.repo}
              {m.gated && (
                <span className="muted" title="accept its licence on the hub, then load with an access token">
                  {' '}
                  (gated: licence + token)
                </span>
              )}
              {m.chat && <span className="muted"> chat</span>}
            </th>
            <td>{formatBytes(sizes.downloadBytes)}</td>
            {sizes.fits.map((f) => (
              <td key={f.precision} title={f.refusal ?? undefined}>
                {formatBytes(f.bytes)}
                {f.refusal && (
                  <span role="img" aria-label={`too large for this adapter at ${f.precision}`}>
                    {' '}
                    ⚠
                  </span>
                )}
              </td>
            ))}
            <td>
              <button type="button" onClick={() => onChoose(m.repo)} aria-label={`Choose ${m.repo}`}>
                Choose
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
