// The outcome of a scope run, group by group: how many probes did what their group expects, and for
// each probe its mask overlap with the edit drawn against τ, the routing decision and both answers.
import { meetsExpectation } from '../groups';
import type { ScopeRun } from '../hooks/useScopeProbes';

function OverlapBar({ overlap, tau }: { overlap: number; tau: number }) {
  return (
    <div className="overlap-bar" title={`overlap ${overlap.toFixed(2)}, τ ${tau}`}>
      <div className={overlap >= tau ? 'fill above' : 'fill'} style={{ width: `${100 * overlap}%` }} />
      <div className="tau" style={{ left: `${100 * tau}%` }} />
      <span>{overlap.toFixed(2)}</span>
    </div>
  );
}

export function ScopeResults({ run }: { run: Extract<ScopeRun, { state: 'done' }> }) {
  const { edit, tau } = run;
  return (
    <div data-testid="scope-results">
      <p className="muted">
        Edit “{edit.prompt}” → “{edit.target.trim()}”. Bars: mask overlap with this edit; the line marks τ ={' '}
        {tau}, above which MEMOIR switches the memory on (for the best-matching edit).
      </p>
      {run.groups
        .filter(({ probes }) => probes.length > 0)
        .map(({ group, probes }) => {
          const met = probes.filter((p) => meetsExpectation(p, group.expect, edit.target)).length;
          return (
            <section key={group.id} data-testid={`scope-group-${group.id}`}>
              <h3>{group.title}</h3>
              <p data-testid={`scope-summary-${group.id}`}>
                {met} of {probes.length}{' '}
                {group.expect === 'new-answer' ? 'take the new answer' : 'keep their answer'}.
              </p>
              <table className="facts scope-table">
                <thead>
                  <tr>
                    <th>Prompt</th>
                    <th>Overlap</th>
                    <th>Memory</th>
                    <th>Base</th>
                    <th>MEMOIR</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {probes.map((p) => (
                    <tr key={p.prompt}>
                      <td>{p.prompt}</td>
                      <td>
                        <OverlapBar overlap={p.overlap} tau={tau} />
                      </td>
                      <td>
                        {p.routing.applied
                          ? p.routing.best?.id === edit.id
                            ? 'ON'
                            : `ON (“${p.routing.best?.prompt}”)`
                          : 'off'}
                      </td>
                      <td>{p.base}</td>
                      <td>{p.edited}</td>
                      <td
                        aria-label={
                          meetsExpectation(p, group.expect, edit.target) ? 'as expected' : 'not as expected'
                        }
                      >
                        {meetsExpectation(p, group.expect, edit.target) ? '✓' : '✗'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })}
    </div>
  );
}
