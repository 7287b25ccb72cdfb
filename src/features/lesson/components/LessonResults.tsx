// A lesson's outcome, group by group: a strip plot of MEMOIR's mask overlaps with the lesson's edit
// against τ and one of SERAC's scope scores against its threshold, each dot coloured by whether the probe
// did what the lesson expects, then per probe its expectation, the base answer, and each editor's answer
// with ✓/✗. Not the Scope view's what-if gates: a lesson shows the gates the editors ran with.
import { GateStrip, type StripPoint } from '../../../components/plots/GateStrip';
import type { LessonResult } from '../hooks/useLessonRun';
import { GROUP_TITLES, lessonVerdicts, type EditorVerdict, type ProbeVerdict } from '../verdict';

const AS_EXPECTED = 'as the lesson expects';
const NOT_EXPECTED = 'not as the lesson expects';
const KINDS = [
  [AS_EXPECTED, '#0f766e'],
  [NOT_EXPECTED, '#b91c1c'],
] as const;

const points = (verdicts: readonly ProbeVerdict[], of: (v: ProbeVerdict) => EditorVerdict) =>
  verdicts.map((v): StripPoint => ({
    label: v.probe.prompt,
    value: of(v).score,
    kind: of(v).ok ? AS_EXPECTED : NOT_EXPECTED,
  }));

function Cells({ verdict }: { verdict: EditorVerdict }) {
  return (
    <>
      <td>{verdict.score.toFixed(2)}</td>
      <td>{verdict.answer}</td>
      <td aria-label={verdict.ok ? AS_EXPECTED : NOT_EXPECTED}>{verdict.ok ? '✓' : '✗'}</td>
    </>
  );
}

export function LessonResults({ run }: { run: LessonResult }) {
  const { lesson, edit, memoir, serac } = run;
  const threshold = serac.state === 'done' ? serac.result.threshold : null;
  const groups = lessonVerdicts(
    lesson.probes,
    edit.target,
    memoir.probes,
    serac.state === 'done' ? serac.result.probes : null,
  );
  const okCount = (of: (v: ProbeVerdict) => EditorVerdict | null) =>
    groups.flatMap((g) => g.verdicts).filter((v) => of(v)?.ok).length;
  return (
    <div data-testid="lesson-results">
      <p data-testid="lesson-summary">
        MEMOIR: {okCount((v) => v.memoir)} of {lesson.probes.length} probes as the lesson expects
        {threshold !== null && `; SERAC: ${okCount((v) => v.serac)} of ${lesson.probes.length}`}. Scores are
        for the edit “{edit.prompt}” → “{edit.target.trim()}”.
      </p>
      {serac.state === 'failed' && (
        <p className="notice warn" data-testid="lesson-serac-unavailable">
          SERAC is not available ({serac.code}): {serac.message}
        </p>
      )}
      {groups.map(({ group, verdicts }) => (
        <section key={group} data-testid={`lesson-group-${group}`}>
          <h3>{GROUP_TITLES[group]}</h3>
          <div className="scope-strips">
            <GateStrip
              caption={`MEMOIR: mask overlap with the edit, against τ = ${memoir.tau}`}
              points={points(verdicts, (v) => v.memoir)}
              gate={memoir.tau}
              gateName="τ"
              valueName="mask overlap"
              kinds={KINDS}
              testId={`lesson-strip-memoir-${group}`}
            />
            {threshold !== null && (
              <GateStrip
                caption={`SERAC: scope score for the edit, against the threshold ${threshold}`}
                points={points(verdicts, (v) => v.serac!)}
                gate={threshold}
                gateName="threshold"
                valueName="scope score"
                kinds={KINDS}
                testId={`lesson-strip-serac-${group}`}
              />
            )}
          </div>
          <table className="facts scope-table">
            <thead>
              <tr>
                <th>Prompt</th>
                <th>Expected</th>
                <th>Base</th>
                <th>Overlap</th>
                <th>MEMOIR</th>
                <th>
                  <span className="visually-hidden">MEMOIR as expected</span>
                </th>
                {threshold !== null && (
                  <>
                    <th>Scope score</th>
                    <th>SERAC</th>
                    <th>
                      <span className="visually-hidden">SERAC as expected</span>
                    </th>
                  </>
                )}
              </tr>
            </thead>
            <tbody>
              {verdicts.map((v) => (
                <tr key={v.probe.prompt}>
                  <td>{v.probe.prompt}</td>
                  <td>{v.probe.expect === 'new' ? 'the new answer' : 'its old answer'}</td>
                  <td>{v.base}</td>
                  <Cells verdict={v.memoir} />
                  {v.serac && <Cells verdict={v.serac} />}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
