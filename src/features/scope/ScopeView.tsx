// The Scope view: set probes against one stored edit — paraphrases that should take the new answer,
// related facts and unrelated text that must keep theirs — and see, probe by probe, what the base model
// answers, MEMOIR's mask overlap against τ and its answer, and SERAC's scope score against its
// threshold and its answer, plotted per group, with what-if gates that relabel the probes as they move
// (stored only by "Use this …"). For a fact of the bundled benchmark, the probes can be suggested.
import { CallFailed } from '../../components/CallFailed';
import { useCallback, useState } from 'react';
import { LessonLink } from './components/LessonLink';
import { ScopeResults } from './components/ScopeResults';
import { PROBE_GROUPS, promptLines } from './groups';
import { useProbeSuggestion } from './hooks/useProbeSuggestion';
import { useScopeProbes } from './hooks/useScopeProbes';
import { useStoredGates } from './hooks/useStoredGates';
import { withSuggestion, type ProbeSuggestion, type ProbeTexts } from './suggest';
import { ModelLoading } from '../../components/ModelLoading';

/** "state_capital" as a sentence says it. */
const relationWords = ({ relation }: ProbeSuggestion) => relation.replace(/_/g, ' ');

export function ScopeView() {
  const { modelReady, edits, run, start, cancel } = useScopeProbes();
  const [chosen, setChosen] = useState('');
  const [texts, setTexts] = useState<ProbeTexts>({ reach: '', related: '', unrelated: '' });
  const addSuggestion = useCallback((s: ProbeSuggestion) => setTexts((t) => withSuggestion(t, s)), []);
  const { suggestion, suggest } = useProbeSuggestion(addSuggestion);
  const { stored, storeTau, storeThreshold } = useStoredGates();
  if (!modelReady) return <ModelLoading then="probe how far a stored edit reaches" />;
  if (edits.state === 'waiting') return <p className="muted">Reading the stored edits…</p>;
  if (edits.state === 'failed') return <p className="notice error">{edits.message}</p>;
  if (edits.edits.length === 0) {
    return (
      <section>
        <h2>Scope</h2>
        <p className="muted">No edits yet: add one in the Edit view, then probe where it reaches.</p>
      </section>
    );
  }
  const edit = edits.edits.find((e) => e.id === chosen) ?? edits.edits[edits.edits.length - 1];
  const request = PROBE_GROUPS.map((group) => ({ group, prompts: promptLines(texts[group.id]) }));
  const total = request.reduce((n, r) => n + r.prompts.length, 0);
  const running = run.state === 'running';
  return (
    <section className="scope">
      <h2>Scope</h2>
      <label>
        Edit{' '}
        <select aria-label="Edit to probe" value={edit.id} onChange={(e) => setChosen(e.target.value)}>
          {edits.edits.map((e) => (
            <option key={e.id} value={e.id}>
              {e.prompt} → {e.target.trim()}
            </option>
          ))}
        </select>
      </label>{' '}
      <button disabled={running || suggestion.state === 'loading'} onClick={() => suggest(edit.prompt)}>
        Suggest probes
      </button>
      {suggestion.state === 'done' && suggestion.prompt === edit.prompt && suggestion.suggestion && (
        <p className="muted" data-testid="probe-suggestion">
          Added from the bundled facts benchmark: other phrasings of the{' '}
          {relationWords(suggestion.suggestion)} of {suggestion.suggestion.subject}, its other facts and other
          subjects’ {relationWords(suggestion.suggestion)}, and general text. Edit them as you like.
        </p>
      )}
      {suggestion.state === 'done' && suggestion.prompt === edit.prompt && !suggestion.suggestion && (
        <p className="notice warn" data-testid="probe-suggestion">
          “{suggestion.prompt}” is not one of the bundled facts benchmark’s phrasings, so there is nothing to
          suggest: type the probes yourself.
        </p>
      )}
      {suggestion.state === 'failed' && (
        <p className="notice error">The facts benchmark could not be loaded: {suggestion.message}</p>
      )}
      <div className="scope-groups">
        {PROBE_GROUPS.map((group) => (
          <label key={group.id}>
            <b>{group.title}</b> <span className="muted">({group.hint}; one per line)</span>
            <textarea
              aria-label={group.title}
              rows={4}
              value={texts[group.id]}
              onChange={(e) => setTexts((t) => ({ ...t, [group.id]: e.target.value }))}
            />
          </label>
        ))}
      </div>
      <button disabled={running || total === 0} onClick={() => start(edit, request)}>
        Probe scope
      </button>
      {running && (
        <>
          {' '}
          <button onClick={cancel}>Cancel</button>{' '}
          <span className="muted" data-testid="scope-progress">
            {run.done} of {run.total} prompts
          </span>
        </>
      )}
      {run.state === 'cancelled' && <p className="notice warn">Cancelled.</p>}
      {run.state === 'failed' && <CallFailed what="Scope probes" failure={run} />}
      {run.state === 'done' && (
        <ScopeResults run={run} stored={stored} onStoreTau={storeTau} onStoreThreshold={storeThreshold} />
      )}
      {run.state === 'done' && <LessonLink run={run} />}
    </section>
  );
}
