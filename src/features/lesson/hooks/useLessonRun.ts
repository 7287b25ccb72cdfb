// Owns the Lesson view's state: the lesson in the URL fragment (decoded again when it changes) and one
// run of it in the worker — its edits trained into a scratch memory, then its probes by MEMOIR and then
// SERAC in that memory — with progress and cancel. The stored edits are never read or changed: the
// calls are memoirLesson / seracLesson, never memoirEdit. A SERAC failure leaves MEMOIR's probes standing.
import { useCallback, useEffect, useRef, useState } from 'react';
import { callFailure, outcomeOf, type CallFailure, type Outcome } from '../../../hooks/call-failure';
import { useEngineClient } from '../../../hooks/engine-context';
import { decodeLesson, type Lesson } from '../../../share/lesson';
import type { EditSummary, Progress, ResultOf } from '../../../worker/protocol';

export type LessonLink =
  | { state: 'none' }
  | { state: 'reading' }
  | { state: 'ready'; lesson: Lesson }
  | { state: 'failed'; message: string };

/** A finished run: MEMOIR's probes in the lesson's order and SERAC's, or why SERAC could not run. */
export interface LessonResult {
  state: 'done';
  lesson: Lesson;
  /** The lesson's first edit in the scratch memory: the one the probes are scored against. */
  edit: EditSummary;
  memoir: ResultOf<'memoirLesson'>;
  serac: Outcome<ResultOf<'seracLesson'>>;
}

export type LessonRun =
  | { state: 'idle' }
  | { state: 'running'; phase: 'training' | 'probing'; done: number; total: number }
  | LessonResult
  | CallFailure;

/** The lesson in the page's fragment, read on load and on every hashchange. */
function useLessonLink(): LessonLink {
  const [link, setLink] = useState<LessonLink>({ state: 'reading' });
  useEffect(() => {
    let current = true;
    const read = () => {
      setLink({ state: 'reading' });
      decodeLesson(location.hash).then(
        (lesson) => current && setLink(lesson ? { state: 'ready', lesson } : { state: 'none' }),
        (error: Error) => current && setLink({ state: 'failed', message: error.message }),
      );
    };
    read();
    addEventListener('hashchange', read);
    return () => {
      current = false;
      removeEventListener('hashchange', read);
    };
  }, []);
  return link;
}

export function useLessonRun() {
  const client = useEngineClient();
  const link = useLessonLink();
  const [run, setRun] = useState<LessonRun>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const start = useCallback(
    async (lesson: Lesson) => {
      const own = new AbortController();
      controller.current?.abort();
      controller.current = own;
      const params = {
        edits: lesson.edits.map(({ prompt, target }) => ({ prompt, target })),
        prompts: lesson.probes.map((p) => p.prompt),
        maxTokens: 5,
      };
      // Training has its own count (SGD steps); the probes one over both editors.
      const probeTotal = 2 * params.prompts.length;
      const onProgress = (offset: number) => (p: Progress) => {
        if (p.label === 'lesson edits')
          setRun({ state: 'running', phase: 'training', done: p.loaded, total: p.total });
        else if (p.label.endsWith('scope probes'))
          setRun({ state: 'running', phase: 'probing', done: offset + p.loaded, total: probeTotal });
      };
      setRun({ state: 'running', phase: 'training', done: 0, total: 1 });
      try {
        const memoir = await client.call('memoirLesson', params, {
          signal: own.signal,
          onProgress: onProgress(0),
        });
        const serac = await outcomeOf(
          client.call('seracLesson', params, {
            signal: own.signal,
            onProgress: onProgress(params.prompts.length),
          }),
        );
        setRun({ state: 'done', lesson, edit: memoir.edits[0], memoir, serac });
      } catch (error) {
        if (controller.current === own) setRun(callFailure(error as { code?: string; message: string }));
      }
    },
    [client],
  );

  // Cancel what is in flight when the view goes away.
  useEffect(() => () => controller.current?.abort(), []);
  const cancel = useCallback(() => controller.current?.abort(), []);
  return { link, run, start, cancel };
}
