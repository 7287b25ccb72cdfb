// The outcome of a scope run, group by group: how many probes each editor answered as the group
// expects, and for each probe MEMOIR's mask overlap with the edit drawn against τ and SERAC's scope
// score for it drawn against its threshold, each editor's routing decision and answer beside the base's.
import { meetsExpectation, type ProbeGroup } from '../groups';
import type { ScopeResult } from '../hooks/useScopeProbes';

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

/** One editor's four cells for a probe: its score for the edit against its threshold, where it routed
 *  the prompt (this edit, another stored edit, or nowhere), its answer, and the verdict. */
function EditorCells(props: {
  score: number;
  threshold: number;
  scoreName: string;
  routing: { applied: boolean; best: { id: string; prompt: string } | null };
  editId: string;
  answer: string;
  ok: boolean;
}) {
  const { routing, editId, ok } = props;
  return (
    <>
      <td>
        <ScoreBar score={props.score} threshold={props.threshold} name={props.scoreName} />
      </td>
      <td>
        {!routing.applied ? 'off' : routing.best?.id === editId ? 'ON' : `ON (“${routing.best?.prompt}”)`}
      </td>
      <td>{props.answer}</td>
      <td aria-label={ok ? 'as expected' : 'not as expected'}>{ok ? '✓' : '✗'}</td>
    </>
  );
}

function expectationText(expect: ProbeGroup['expect']) {
  return expect === 'new-answer' ? 'take the new answer' : 'keep their answer';
}

export function ScopeResults({ run }: { run: ScopeResult }) {
  const { edit, tau, serac } = run;
  const threshold = serac.state === 'done' ? serac.threshold : null;
  return (
    <div data-testid="scope-results">
      <p className="muted">
        Edit “{edit.prompt}” → “{edit.target.trim()}”. MEMOIR bars: mask overlap with this edit; the line
        marks τ = {tau}, above which MEMOIR switches the memory on (for the best-matching edit).
        {threshold !== null &&
          ` SERAC bars: the scope classifier's score for this edit; at or above ${threshold} (for the
          top-scoring edit) SERAC's counterfactual model answers.`}
      </p>
      {serac.state === 'failed' && (
        <p className="notice warn" data-testid="scope-serac-unavailable">
          SERAC is not available ({serac.code}): {serac.message}
        </p>
      )}
      {run.groups
        .filter(({ probes }) => probes.length > 0)
        .map(({ group, probes, seracProbes }) => {
          const memoirOk = probes.map((p) => meetsExpectation(p.edited, p.base, group.expect, edit.target));
          const seracOk = seracProbes?.map((s, i) =>
            meetsExpectation(s.answer, probes[i].base, group.expect, edit.target),
          );
          const count = (oks: boolean[]) => oks.filter(Boolean).length;
          return (
            <section key={group.id} data-testid={`scope-group-${group.id}`}>
              <h3>{group.title}</h3>
              <p data-testid={`scope-summary-${group.id}`}>
                MEMOIR: {count(memoirOk)} of {probes.length} {expectationText(group.expect)}.
                {seracOk && ` SERAC: ${count(seracOk)} of ${probes.length}.`}
              </p>
              <table className="facts scope-table">
                <thead>
                  <tr>
                    <th>Prompt</th>
                    <th>Base</th>
                    <th>Overlap</th>
                    <th>Memory</th>
                    <th>MEMOIR</th>
                    <th />
                    {seracProbes && (
                      <>
                        <th>Scope score</th>
                        <th>Routed</th>
                        <th>SERAC</th>
                        <th />
                      </>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {probes.map((p, i) => {
                    const s = seracProbes?.[i];
                    return (
                      <tr key={p.prompt}>
                        <td>{p.prompt}</td>
                        <td>{p.base}</td>
                        <EditorCells
                          score={p.overlap}
                          threshold={tau}
                          scoreName="mask overlap"
                          routing={p.routing}
                          editId={edit.id}
                          answer={p.edited}
                          ok={memoirOk[i]}
                        />
                        {s && threshold !== null && (
                          <EditorCells
                            score={s.score}
                            threshold={threshold}
                            scoreName="scope score"
                            routing={s.routing}
                            editId={edit.id}
                            answer={s.answer}
                            ok={seracOk![i]}
                          />
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          );
        })}
    </div>
  );
}
