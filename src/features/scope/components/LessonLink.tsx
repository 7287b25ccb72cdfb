// "Make a lesson link" under a finished scope run: the probed edit, the run's probes with what their
// group expects (a paraphrase the new answer, the rest their old one) and a one-line note, as a link
// that opens the Lesson view (src/share/lesson.ts). Not the lesson's codec or its view.
import { useState } from 'react';
import { useModel } from '../../../hooks/model-context';
import { describeSource } from '../../../models/hub';
import { encodeLesson, LESSON_PATH, MAX_NOTE, type Lesson } from '../../../share/lesson';
import type { ScopeResult } from '../hooks/useScopeProbes';

type Made = { state: 'idle' } | { state: 'done'; url: string } | { state: 'failed'; message: string };

/** The lesson a run teaches: its edit and every probe it ran, in the view's group order. */
function lessonOf(run: ScopeResult, model: string, note: string): Lesson {
  return {
    kind: 'lesson',
    model,
    note: note.trim(),
    edits: [{ prompt: run.edit.prompt, target: run.edit.target }],
    probes: run.groups.flatMap(({ group, probes }) =>
      probes.map((p) => ({
        prompt: p.prompt,
        group: group.id,
        expect: group.expect,
      })),
    ),
  };
}

export function LessonLink({ run }: { run: ScopeResult }) {
  const { active } = useModel();
  const [note, setNote] = useState('');
  const [made, setMade] = useState<Made>({ state: 'idle' });
  if (!active) return null;
  const make = () =>
    encodeLesson(lessonOf(run, describeSource(active.source), note)).then(
      (fragment) => setMade({ state: 'done', url: `${location.origin}${LESSON_PATH}#${fragment}` }),
      (error: Error) => setMade({ state: 'failed', message: error.message }),
    );
  return (
    <section data-testid="lesson-link">
      <h3>Lesson link</h3>
      <p className="muted">
        This edit and these probes, with what each group expects, as a link: whoever opens it sees them
        trained and probed in a scratch memory, beside their own edits.
      </p>
      <label>
        Note{' '}
        <input
          aria-label="Lesson note"
          maxLength={MAX_NOTE}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>{' '}
      <button onClick={() => void make()}>Make a lesson link</button>
      {made.state === 'done' && <input aria-label="Lesson link" readOnly value={made.url} size={60} />}
      {made.state === 'failed' && <p className="notice error">No lesson link: {made.message}.</p>}
    </section>
  );
}
