// The Compare view: one prompt through the base model and both editors on the same stored edits, side
// by side, with each editor's routing decision (MEMOIR: mask overlap against τ; SERAC: scope score
// against its threshold). Where the answers differ is where the two editors draw an edit's scope apart.
// A model with a chat template can be asked in Chat mode (the prompt as a user turn of it).
import { CallFailed } from '../../components/CallFailed';
import { ChatModeToggle } from '../../components/ChatModeToggle';
import { useChatMode } from '../../hooks/chat-mode';
import { useEffect, useState, type FormEvent } from 'react';
import { Completion } from '../../components/Completion';
import { ProgressList } from '../../components/ProgressList';
import { memoirRoutingText, seracRoutingText } from '../../components/routing-text';
import { useModel } from '../../hooks/model-context';
import { ModelLoading } from '../../components/ModelLoading';
import { SeracCompanions } from '../../components/SeracCompanions';
import { useSeracCompanions } from '../../hooks/serac-companions';
import { useEditorComparison, type Comparison } from './hooks/useEditorComparison';

const MAX_TOKENS = 8;

export function CompareView() {
  const { active } = useModel();
  const { comparison, run, cancel } = useEditorComparison();
  const [prompt, setPrompt] = useState('The city that serves as the capital of France is');
  const { available, chat, setChat, wrap } = useChatMode();
  const ready = active !== null;
  const running = comparison.state === 'running';
  const serac = useSeracCompanions();
  const { refresh } = serac;
  // SERAC's first comparison loads its companions and may calibrate the scope threshold: show the result.
  useEffect(() => {
    if (comparison.state === 'done') refresh();
  }, [comparison.state, refresh]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (prompt.trim()) void wrap(prompt).then((text) => run(text, MAX_TOKENS));
  };

  return (
    <section>
      <h2>Compare</h2>
      <p className="muted">
        The base model, MEMOIR and SERAC answer the same prompt over the same stored edits (add edits in the
        Edit view). Try the edit prompt, a paraphrase of it, the same question about another subject, and
        unrelated text.
      </p>
      <ModelLoading then="answer your prompt with the base model, MEMOIR and SERAC (SERAC's companion models load on the first comparison)" />
      <form onSubmit={submit} className="probe-form">
        <textarea
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          rows={2}
          aria-label="Prompt to compare"
        />
        <ChatModeToggle available={available} chat={chat} onChange={setChat} />
        <button type="submit" disabled={!ready || running || !prompt.trim()}>
          Compare editors
        </button>{' '}
        {running && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
      </form>
      <ComparisonResult comparison={comparison} />
      {serac.gate.state === 'ready' && (
        <>
          <h3>SERAC’s companions</h3>
          <SeracCompanions value={serac.gate.value} />
        </>
      )}
    </section>
  );
}

function ComparisonResult({ comparison }: { comparison: Comparison }) {
  switch (comparison.state) {
    case 'idle':
      return null;
    case 'running':
      return (
        <>
          <p className="muted">Comparing base, MEMOIR and SERAC…</p>
          {Object.keys(comparison.progress).length > 0 && <ProgressList progress={comparison.progress} />}
        </>
      );
    case 'cancelled':
      return <p className="muted">Cancelled.</p>;
    case 'failed':
      return <CallFailed what="Comparison" failure={comparison} />;
    case 'done': {
      const { prompt, memoir, serac } = comparison;
      return (
        <div className="compare compare-3" data-testid="editor-comparison">
          <Completion title="Base model" prompt={prompt} answer={memoir.base} testId="compare-base" />
          <Completion title="With MEMOIR" prompt={prompt} answer={memoir.edited} testId="compare-memoir" />
          {serac.state === 'done' ? (
            <Completion
              title="With SERAC"
              prompt={prompt}
              answer={serac.result.answer}
              testId="compare-serac"
            />
          ) : (
            <div>
              <h3>With SERAC</h3>
              <p className="notice warn" data-testid="compare-serac-unavailable">
                SERAC is not available ({serac.code}): {serac.message}
              </p>
            </div>
          )}
          <p className="routing" data-testid="compare-memoir-routing">
            MEMOIR — {memoirRoutingText(memoir.routing)}
          </p>
          {serac.state === 'done' && (
            <p className="routing" data-testid="compare-serac-routing">
              SERAC — {seracRoutingText(serac.result.routing)}
            </p>
          )}
        </div>
      );
    }
  }
}
