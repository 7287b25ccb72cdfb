// The Lesson view (/lesson#lesson=…): a lesson someone sent — a note, edits, probes with the behaviour
// each should show — opened as a separate exercise. Its edits are trained into a scratch memory (the
// person's stored edits are neither used nor changed), its probes run through MEMOIR and SERAC in that
// memory, and the scope grid shows each probe's expectation with ✓/✗. Without a lesson in the link it
// lists the built-in lessons for the bundled model. Not a place to make lessons (the Scope view is).
import { useEffect } from 'react';
import { CallFailed } from '../../components/CallFailed';
import { ModelLoading } from '../../components/ModelLoading';
import { useModel } from '../../hooks/model-context';
import { describeSource } from '../../models/hub';
import { LESSON_PATH } from '../../share/lesson';
import { BUILT_IN_LESSONS } from '../../share/lessons-builtin';
import { LessonResults } from './components/LessonResults';
import { useLessonRun } from './hooks/useLessonRun';

function BuiltInLessons() {
  return (
    <ul data-testid="lesson-list">
      {BUILT_IN_LESSONS.map(({ id, title, summary, hash }) => (
        <li key={id}>
          <a href={`${LESSON_PATH}#lesson=${hash}`}>{title}</a> <span className="muted">{summary}</span>
        </li>
      ))}
    </ul>
  );
}

export function LessonView() {
  const { active: model } = useModel();
  const { link, run, start, cancel } = useLessonRun();
  const lesson = link.state === 'ready' ? link.lesson : null;
  // Opening a lesson runs it as soon as the model is ready, and again when the link changes.
  useEffect(() => {
    if (lesson && model) void start(lesson);
  }, [lesson, model, start]);

  if (link.state === 'reading') return <p className="muted">Reading the lesson…</p>;
  if (link.state !== 'ready') {
    return (
      <section>
        <h2>Lesson</h2>
        {link.state === 'failed' && (
          <p className="notice error" data-testid="lesson-invalid">
            This lesson link cannot be opened: {link.message}.
          </p>
        )}
        <p>
          Lessons that come with the bundled model (each opens in a scratch memory; your edits stay as they
          are):
        </p>
        <BuiltInLessons />
      </section>
    );
  }
  const loaded = model && describeSource(model.source);
  return (
    <section className="scope">
      <h2>Lesson</h2>
      {link.lesson.note && <p data-testid="lesson-note">{link.lesson.note}</p>}
      <p className="muted">
        Written for {link.lesson.model}. Its edits are trained into a scratch memory for this lesson only:
        your stored edits are neither used nor changed.
      </p>
      {loaded && loaded !== link.lesson.model && (
        <p className="notice warn">The loaded model is {loaded}: its answers may differ from the lesson’s.</p>
      )}
      <ol data-testid="lesson-edits">
        {link.lesson.edits.map((e) => (
          <li key={e.prompt}>
            “{e.prompt}” → “{e.target.trim()}”
          </li>
        ))}
      </ol>
      <ModelLoading then="train this lesson's edits in a scratch memory and probe them" />
      {run.state === 'running' && (
        <p>
          <span className="muted" data-testid="lesson-progress">
            {run.phase === 'training'
              ? `Training the lesson’s edits: step ${run.done} of ${run.total}`
              : `Probing: ${run.done} of ${run.total} prompts`}
          </span>{' '}
          <button onClick={cancel}>Cancel</button>
        </p>
      )}
      {run.state === 'cancelled' && (
        <p className="notice warn">
          Cancelled. <button onClick={() => void start(link.lesson)}>Run the lesson again</button>
        </p>
      )}
      {run.state === 'failed' && <CallFailed what="The lesson" failure={run} />}
      {run.state === 'done' && run.lesson === link.lesson && <LessonResults run={run} />}
    </section>
  );
}
