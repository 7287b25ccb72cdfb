// The outcome of a scope run, group by group, at what-if gates: sliders for MEMOIR's τ and SERAC's
// threshold relabel every probe as they move (relabel.ts; the model is not asked again). Per group, a
// strip plot of MEMOIR's mask overlaps with this edit against τ and one of SERAC's scope scores against
// its threshold, then how many probes each editor answers as the group expects, and for each probe its
// scores, where each editor routes it and its answer beside the base's.
import { useMemo, useState } from 'react';
import { GateStrip, type StripPoint } from '../../../components/plots/GateStrip';
import type { EditSummary } from '../../../worker/protocol';
import type { ProbeGroup } from '../groups';
import type { ScopeResult } from '../hooks/useScopeProbes';
import type { StoredGates } from '../hooks/useStoredGates';
import { memoirRunProbe, relabel, seracRunProbe, tally, type ProbeLabel, type Routed } from '../relabel';
import { GateSlider } from './GateSlider';

/** The strip plots' colours: what a probe does at the gate. */
const ROUTED_KIND: Record<Routed, string> = {
  this: 'fires for this edit',
  other: 'fires for another edit',
  none: 'does not fire',
};
const KINDS = [
  [ROUTED_KIND.this, '#0f766e'],
  [ROUTED_KIND.other, '#b45309'],
  [ROUTED_KIND.none, '#9ca3af'],
] as const;

/** A score in [0, 1] as a bar with the editor's threshold marked; filled darker at or above it. */
function ScoreBar({ score, threshold, name }: { score: number; threshold: number; name: string }) {
  return (
    <div className="overlap-bar" title={`${name} ${score.toFixed(2)}, threshold ${threshold}`}>
      <div className={score >= threshold ? 'fill above' : 'fill'} style={{ width: `${100 * score}%` }} />
      <div className="tau" style={{ left: `${100 * threshold}%` }} />
      <span>{score.toFixed(2)}</span>
    </div>
  );
}

/** One editor's four cells for a probe: its score for the edit against its gate, where it routes the
 *  prompt at that gate (this edit, another stored edit, or nowhere), its answer, and the verdict. An
 *  answer the run did not compute (the gate fires only at the what-if value) shows as ?. */
function EditorCells(props: {
  score: number;
  gate: number;
  scoreName: string;
  label: ProbeLabel;
  bestPrompt: string | undefined;
}) {
  const { routed, answer, ok } = props.label;
  const unknown = 'not computed at this gate: probe again to see it';
  return (
    <>
      <td>
        <ScoreBar score={props.score} threshold={props.gate} name={props.scoreName} />
      </td>
      <td>{routed === 'none' ? 'off' : routed === 'this' ? 'ON' : `ON (“${props.bestPrompt}”)`}</td>
      <td title={answer === null ? unknown : undefined}>{answer ?? '?'}</td>
      <td aria-label={ok === null ? unknown : ok ? 'as expected' : 'not as expected'}>
        {ok === null ? '?' : ok ? '✓' : '✗'}
      </td>
    </>
  );
}

function expectationText(expect: ProbeGroup['expect']) {
  return expect === 'new' ? 'take the new answer' : 'keep their answer';
}

/** "2 of 3", and how many are not known at the what-if gate. */
function countText(labels: readonly ProbeLabel[], gateText: string) {
  const { ok, unknown } = tally(labels);
  return `${ok} of ${labels.length}${unknown > 0 ? ` (${unknown} not known at ${gateText}: probe again)` : ''}`;
}

const stripPoints = (prompts: readonly string[], scores: readonly number[], labels: readonly ProbeLabel[]) =>
  prompts.map((label, i): StripPoint => ({ label, value: scores[i], kind: ROUTED_KIND[labels[i].routed] }));

export function ScopeResults({
  run,
  stored,
  onStoreTau,
  onStoreThreshold,
}: {
  run: ScopeResult;
  stored: StoredGates;
  onStoreTau: (tau: number) => void;
  onStoreThreshold: (threshold: number) => void;
}) {
  const { edit } = run;
  const runThreshold = run.serac.state === 'done' ? run.serac.threshold : null;
  const [tau, setTau] = useState(run.tau);
  const [threshold, setThreshold] = useState(runThreshold);
  return (
    <div data-testid="scope-results">
      <p className="muted">
        Edit “{edit.prompt}” → “{edit.target.trim()}”. MEMOIR: mask overlap with this edit against τ, at or
        above which MEMOIR switches the memory on (for the best-matching edit).
        {runThreshold !== null &&
          ` SERAC: the scope classifier's score for this edit; at or above the threshold (for the
          top-scoring edit) SERAC's counterfactual model answers.`}{' '}
        Move a gate to see every probe relabelled at it without running the model again: an answer the run did
        not compute (the gate fires there but did not in the run) shows as ?.
      </p>
      <GateSlider
        label="What-if τ (MEMOIR)"
        short="τ"
        value={tau}
        runValue={run.tau}
        storedValue={stored.tau ?? run.tau}
        onChange={setTau}
        onStore={onStoreTau}
      />
      {threshold !== null && runThreshold !== null && (
        <GateSlider
          label="What-if threshold (SERAC)"
          short="threshold"
          value={threshold}
          runValue={runThreshold}
          storedValue={stored.threshold ?? runThreshold}
          onChange={setThreshold}
          onStore={onStoreThreshold}
        />
      )}
      {stored.failure && (
        <p className="notice error">
          Storing the gate failed ({stored.failure.code}): {stored.failure.message}
        </p>
      )}
      {run.serac.state === 'failed' && (
        <p className="notice warn" data-testid="scope-serac-unavailable">
          SERAC is not available ({run.serac.code}): {run.serac.message}
        </p>
      )}
      {run.groups
        .filter(({ probes }) => probes.length > 0)
        .map(({ group, probes, seracProbes }) => (
          <GroupResults
            key={group.id}
            edit={edit}
            group={group}
            probes={probes}
            seracProbes={threshold === null ? null : seracProbes}
            tau={tau}
            threshold={threshold ?? 0}
          />
        ))}
    </div>
  );
}

function GroupResults({
  edit,
  group,
  probes,
  seracProbes,
  tau,
  threshold,
}: Pick<ScopeResult['groups'][number], 'group' | 'probes' | 'seracProbes'> & {
  edit: EditSummary;
  tau: number;
  threshold: number;
}) {
  // Each editor's labels and strip change only with its own gate.
  const { expect } = group;
  const memoir = useMemo(
    () => probes.map((p) => relabel(memoirRunProbe(p), tau, edit.id, expect, edit.target)),
    [probes, tau, edit, expect],
  );
  const serac = useMemo(
    () =>
      seracProbes?.map((s, i) =>
        relabel(seracRunProbe(s, probes[i].base), threshold, edit.id, expect, edit.target),
      ),
    [seracProbes, probes, threshold, edit, expect],
  );
  const prompts = useMemo(() => probes.map((p) => p.prompt), [probes]);
  const memoirPoints = useMemo(
    () =>
      stripPoints(
        prompts,
        probes.map((p) => p.overlap),
        memoir,
      ),
    [prompts, probes, memoir],
  );
  const seracPoints = useMemo(
    () =>
      seracProbes &&
      serac &&
      stripPoints(
        prompts,
        seracProbes.map((s) => s.score),
        serac,
      ),
    [prompts, seracProbes, serac],
  );
  return (
    <section data-testid={`scope-group-${group.id}`}>
      <h3>{group.title}</h3>
      <p data-testid={`scope-summary-${group.id}`}>
        MEMOIR: {countText(memoir, `τ = ${tau}`)} {expectationText(group.expect)}.
        {serac && ` SERAC: ${countText(serac, `threshold ${threshold}`)}.`}
      </p>
      <div className="scope-strips">
        <GateStrip
          caption={`MEMOIR: mask overlap with this edit, against τ = ${tau}`}
          points={memoirPoints}
          gate={tau}
          gateName="τ"
          valueName="mask overlap"
          kinds={KINDS}
          testId={`scope-strip-memoir-${group.id}`}
        />
        {seracPoints && (
          <GateStrip
            caption={`SERAC: scope score for this edit, against the threshold ${threshold}`}
            points={seracPoints}
            gate={threshold}
            gateName="threshold"
            valueName="scope score"
            kinds={KINDS}
            testId={`scope-strip-serac-${group.id}`}
          />
        )}
      </div>
      <table className="facts scope-table">
        <thead>
          <tr>
            <th>Prompt</th>
            <th>Base</th>
            <th>Overlap</th>
            <th>Memory</th>
            <th>MEMOIR</th>
            <th>
              <span className="visually-hidden">MEMOIR as expected</span>
            </th>
            {serac && (
              <>
                <th>Scope score</th>
                <th>Routed</th>
                <th>SERAC</th>
                <th>
                  <span className="visually-hidden">SERAC as expected</span>
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {probes.map((p, i) => (
            <tr key={p.prompt}>
              <td>{p.prompt}</td>
              <td>{p.base}</td>
              <EditorCells
                score={p.overlap}
                gate={tau}
                scoreName="mask overlap"
                label={memoir[i]}
                bestPrompt={p.routing.best?.prompt}
              />
              {seracProbes && serac && (
                <EditorCells
                  score={seracProbes[i].score}
                  gate={threshold}
                  scoreName="scope score"
                  label={serac[i]}
                  bestPrompt={seracProbes[i].routing.best?.prompt}
                />
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
