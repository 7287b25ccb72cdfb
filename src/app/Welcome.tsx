// The first visit's welcome on the landing view: what loads and why (the base model's weights, MEMOIR's
// background statistics, SERAC's companion models) with live progress, and what can be done meanwhile
// (the model card, a built-in lesson). Shown until dismissed (remembered in localStorage) and never to
// someone whose loaded model has stored edits. Reads the model context; starts no load itself.
import { useEffect, useState } from 'react';
import { ProgressList } from '../components/ProgressList';
import { useEngineClient } from '../hooks/engine-context';
import { useModel, type ModelState } from '../hooks/model-context';
import { describeSource } from '../models/hub';
import { BUILT_IN_LESSONS } from '../share/lessons-builtin';
import type { Progress } from '../worker/protocol';

const DISMISSED_KEY = 'editscope.welcome-dismissed';
/** The label memoir-session.ts reports the background statistics step under. */
const BACKGROUND = 'MEMOIR background statistics';

/** localStorage can be missing or throw (storage disabled, private modes): the welcome then shows. */
function dismissedBefore(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) !== null;
  } catch {
    return false;
  }
}

function backgroundLine(step: Progress | undefined, model: ModelState): string {
  if (step?.from === 'shipped') return 'ready: they came with the model, nothing to compute.';
  if (step?.from === 'cache') return 'ready: computed on an earlier visit and kept in this browser.';
  if (step?.status === 'done') return 'ready: computed once for this model and kept in this browser.';
  if (step) return 'computing, once for this model (then kept in this browser)…';
  if (model.state === 'loading') return 'next, once the weights are in (shipped with the bundled model).';
  return 'not needed until a model is loaded.';
}

/** `onModels` opens the Models view (its model card) in place, without reloading the page. */
export function Welcome({ onModels }: { onModels: () => void }) {
  const client = useEngineClient();
  const { model, active } = useModel();
  const [dismissed, setDismissed] = useState(dismissedBefore);
  const [hasEdits, setHasEdits] = useState(false);
  // A finished load keeps no progress, so the background step's last report is kept here.
  const [background, setBackground] = useState<Progress | undefined>();
  const reported = model.state === 'loading' ? model.progress[BACKGROUND] : undefined;
  if (reported && reported !== background) setBackground(reported); // adjusting state while rendering
  useEffect(() => {
    if (!active || dismissed) return;
    let live = true;
    client.call('memoirStatus', {}).then(
      (status) => live && setHasEdits(status.edits.length > 0),
      () => {}, // the Edit view reports a MEMOIR that did not start; the welcome just stays
    );
    return () => {
      live = false;
    };
  }, [client, active, dismissed]);
  if (dismissed || hasEdits) return null;

  const dismiss = () => {
    try {
      localStorage.setItem(DISMISSED_KEY, String(Date.now()));
    } catch {
      // not kept: the welcome shows again next visit
    }
    setDismissed(true);
  };
  const files = model.state === 'loading' ? model.progress : {};
  const { [BACKGROUND]: _, ...weights } = files;
  return (
    <section className="welcome notice" data-testid="welcome" aria-label="Welcome">
      <h2>Welcome to Editscope</h2>
      <p>
        Edit what a small language model knows, in this browser, with two methods: MEMOIR (a trained side
        memory) and SERAC (stored edits with a scope classifier and a counterfactual model). While they get
        ready:
      </p>
      <ul className="welcome-loading">
        <li data-testid="welcome-weights">
          <strong>The base model’s weights</strong>:{' '}
          {model.state === 'loading' && (
            <>
              {describeSource(model.request.source)}, downloaded on the first visit (then read from this
              browser’s cache) and uploaded to the{' '}
              {model.request.backend === 'auto' ? 'chosen' : model.request.backend} backend.
              <ProgressList progress={weights} />
            </>
          )}
          {model.state === 'ready' && `${describeSource(model.summary.source)} is ready.`}
          {model.state === 'failed' && `did not load (${model.code}): ${model.message}`}
          {model.state === 'none' && 'none loaded: choose one in the Models view.'}
        </li>
        <li data-testid="welcome-background">
          <strong>MEMOIR’s background statistics</strong> (how the model’s activations look on unrelated text,
          so an edit’s memory opens only for prompts like it): {backgroundLine(background, model)}
        </li>
        <li data-testid="welcome-serac">
          <strong>SERAC’s companion models</strong> (a scope model and a counterfactual model): loaded on the
          first SERAC call — a comparison in Compare, a SERAC scope run or benchmark — with progress there;
          for a model other than the bundled one, the scope threshold is calibrated for it then too.
        </li>
      </ul>
      <p>
        Meanwhile, read{' '}
        <a
          href="/models"
          onClick={(event) => {
            event.preventDefault();
            onModels();
          }}
        >
          the model’s card
        </a>{' '}
        in the Models view (what it knows and how it was trained), or open a lesson: each teaches one edit and
        probes where it reaches.
      </p>
      <ul className="welcome-lessons" data-testid="welcome-lessons">
        {BUILT_IN_LESSONS.map((lesson) => (
          <li key={lesson.id}>
            <a href={`/lesson#lesson=${lesson.hash}`}>{lesson.title}</a>{' '}
            <span className="muted">{lesson.summary}</span>
          </li>
        ))}
      </ul>
      <button onClick={dismiss}>Got it, hide this</button>
    </section>
  );
}
