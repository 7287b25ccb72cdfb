// "Which stored edits would a new edit collide with?": type the prompt of an edit not yet made, get its
// TopHash mask without training, and see the stored edits ranked by overlap with it, those at or above
// τ flagged (the new edit would share the memory with them: a prompt near either can open the other).
import { useState, type FormEvent } from 'react';
import { CallFailed } from '../../../components/CallFailed';
import type { Preview } from '../hooks/useMemoryMasks';
import { rankCollisions } from '../masks';

export function CollisionPreview({
  preview,
  onCheck,
  tau,
  k,
  titleOf,
  sharedColumns,
}: {
  preview: Preview;
  onCheck: (prompt: string) => void;
  tau: number;
  k: number;
  /** "#2 The capital of France is → Rome" for a stored edit's id. */
  titleOf: (id: string) => string;
  /** How many of these columns stored edits already use. */
  sharedColumns: (cols: Int32Array) => number;
}) {
  const [prompt, setPrompt] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (prompt.trim()) onCheck(prompt);
  };
  const ranked = preview.state === 'done' ? rankCollisions(preview.overlaps, tau) : [];
  const firing = ranked.filter((c) => c.fires);
  return (
    <section aria-labelledby="collision-heading">
      <h3 id="collision-heading">Before you edit: which stored edits would it collide with?</h3>
      <form onSubmit={submit}>
        <label>
          Prompt of a new edit{' '}
          <input type="text" size={48} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        </label>{' '}
        <button type="submit" disabled={!prompt.trim() || preview.state === 'running'}>
          Check its mask
        </button>{' '}
        <span className="muted">Computes the mask only: nothing is trained or stored.</span>
      </form>
      {preview.state === 'running' && <p className="muted">Computing the mask of “{preview.prompt}”…</p>}
      {preview.state === 'failed' && <CallFailed what="The mask" failure={preview} />}
      {preview.state === 'done' && (
        <div data-testid="collisions">
          <p data-testid="collision-verdict">
            {firing.length > 0
              ? `This edit would share the memory with ${firing.map((c) => titleOf(c.id)).join('; ')} (overlap ≥ τ = ${tau}).`
              : `No stored edit reaches τ = ${tau} with it.`}{' '}
            {`Its mask holds ${sharedColumns(preview.cols)} of its ${k} columns that stored edits already train.`}
          </p>
          <table className="facts">
            <thead>
              <tr>
                <th>Rank</th>
                <th>Stored edit</th>
                <th>Overlap</th>
                <th>Shared columns</th>
                <th>At τ = {tau}</th>
              </tr>
            </thead>
            <tbody>
              {ranked.map((c, i) => (
                <tr key={c.id}>
                  <td>{i + 1}</td>
                  <td>{titleOf(c.id)}</td>
                  <td>{c.overlap.toFixed(3)}</td>
                  <td>{Math.round(c.overlap * k)}</td>
                  <td>{c.fires ? '≥ τ: collides' : '< τ'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
