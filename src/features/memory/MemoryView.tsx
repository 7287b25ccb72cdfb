// The Memory view: MEMOIR's stored edits as masks over the columns of its residual memory Wm — each
// edit's columns, how many edits share each column (with the summary numbers and the random-overlap
// floor k/H), the overlap matrix between edits against τ, and a new prompt's mask checked against the
// stored edits before it is trained. Reads masks only (memoirMasks), never Wm.
import { useCallback, useMemo } from 'react';
import { CallFailed } from '../../components/CallFailed';
import { CollisionPreview } from './components/CollisionPreview';
import { ColumnSharing } from './components/ColumnSharing';
import { MaskRaster, type RasterRow } from './components/MaskRaster';
import { OverlapMatrix } from './components/OverlapMatrix';
import { useMemoryMasks, type Masks } from './hooks/useMemoryMasks';
import { columnUse, overlapMatrix, sharingOf } from './masks';
import { ModelLoading } from '../../components/ModelLoading';

type Ready = Extract<Masks, { state: 'ready' }>;

export function MemoryView() {
  const { modelReady, masks, preview, check } = useMemoryMasks();
  if (!modelReady) return <ModelLoading then="show MEMOIR's stored masks and check a prompt against them" />;
  if (masks.state === 'waiting') return <p className="muted">Reading the stored masks…</p>;
  if (masks.state === 'cancelled') return <p className="notice warn">Cancelled.</p>;
  if (masks.state === 'failed') return <CallFailed what="Reading the masks" failure={masks} />;
  return <MemoryMasks masks={masks} preview={preview} check={check} />;
}

function MemoryMasks({
  masks,
  preview,
  check,
}: { masks: Ready } & Pick<ReturnType<typeof useMemoryMasks>, 'preview' | 'check'>) {
  const { H, k, tau, edits } = masks;
  const labels = useMemo(() => edits.map((_, i) => `#${i + 1}`), [edits]);
  const titles = useMemo(() => edits.map((e, i) => `#${i + 1} ${e.prompt} → ${e.target.trim()}`), [edits]);
  const counts = useMemo(() => columnUse(H, edits), [H, edits]);
  const sharing = useMemo(() => sharingOf(counts, k), [counts, k]);
  const matrix = useMemo(() => overlapMatrix(edits, k), [edits, k]);
  // Each column's edits in one pass over the masks (E·k), not a search of every mask per column.
  const byColumn = useMemo(() => {
    const out = new Map<number, string[]>();
    edits.forEach((e, i) => e.cols.forEach((c) => out.set(c, [...(out.get(c) ?? []), labels[i]])));
    return out;
  }, [edits, labels]);
  const users = useCallback((col: number) => byColumn.get(col) ?? [], [byColumn]);
  const titleOf = useCallback((id: string) => titles[edits.findIndex((e) => e.id === id)], [titles, edits]);
  const sharedColumns = useCallback((cols: Int32Array) => cols.filter((c) => counts[c] > 0).length, [counts]);
  const rows = useMemo<RasterRow[]>(() => {
    const stored = edits.map((e, i) => ({ label: labels[i], title: titles[i], cols: e.cols }));
    return preview.state === 'done'
      ? [...stored, { label: 'new', title: `new: ${preview.prompt} (not trained)`, cols: preview.cols }]
      : stored;
  }, [edits, labels, titles, preview]);

  return (
    <section className="memory">
      <h2>Memory</h2>
      <p className="muted">
        MEMOIR writes each edit into {k} of the {H} columns of its memory Wm, chosen by the edit prompt’s
        TopHash mask; a prompt opens the memory when its mask overlaps a stored edit’s by at least τ = {tau}.
      </p>
      {edits.length === 0 ? (
        <p className="muted">No edits yet: add one in the Edit view to see its mask here.</p>
      ) : (
        <>
          <h3>Stored edits</h3>
          <ol data-testid="memory-edits">
            {edits.map((e) => (
              <li key={e.id}>
                {e.prompt} → {e.target.trim()}
              </li>
            ))}
          </ol>
          <MaskRaster rows={rows} H={H} />
          <h3>Capacity and sharing</h3>
          <ColumnSharing counts={counts} sharing={sharing} k={k} users={users} />
          <h3>Overlap between edits</h3>
          <OverlapMatrix labels={labels} titles={titles} matrix={matrix} tau={tau} />
        </>
      )}
      <CollisionPreview
        preview={preview}
        onCheck={check}
        tau={tau}
        k={k}
        titleOf={titleOf}
        sharedColumns={sharedColumns}
      />
    </section>
  );
}
