// The Probe view: type a prompt and watch the loaded model complete it, token by token; for a model
// with a chat template, in Chat mode the prompt is sent as a user turn of it (shown as sent).
import { CallFailed } from '../../components/CallFailed';
import { ChatModeToggle } from '../../components/ChatModeToggle';
import { useChatMode } from '../../hooks/chat-mode';
import { useState, type FormEvent } from 'react';
import { useModel } from '../../hooks/model-context';
import { ModelLoading } from '../../components/ModelLoading';
import type { Sampling } from '../../worker/protocol';
import { ComparePanel } from './components/ComparePanel';
import { SamplingControls } from './components/SamplingControls';
import { useGeneration } from './hooks/useGeneration';
import { useMemoirCompare } from './hooks/useMemoirCompare';

export function ProbeView() {
  const { active } = useModel();
  const { generation, generate, stop } = useGeneration();
  const { compare, run: runCompare } = useMemoirCompare();
  const [prompt, setPrompt] = useState('The capital of France is');
  const [maxTokens, setMaxTokens] = useState(16);
  const [sampling, setSampling] = useState<Sampling>({ kind: 'greedy' });
  const { available, chat, setChat, wrap } = useChatMode();
  const [sent, setSent] = useState(prompt); // what the last Generate sent, templated in chat mode
  const ready = active !== null;
  const running = generation.state === 'running';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!prompt.trim()) return;
    void wrap(prompt).then((text) => {
      setSent(text);
      generate(text, maxTokens, sampling);
    });
  };

  return (
    <section>
      <h2>Probe</h2>
      <ModelLoading then="complete your prompt, with and without the stored edits" />
      <form onSubmit={submit} className="probe-form">
        <textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} rows={2} aria-label="Prompt" />
        <label>
          max tokens{' '}
          <input
            type="number"
            min={1}
            max={256}
            value={maxTokens}
            onChange={(e) => setMaxTokens(Math.max(1, Math.trunc(Number(e.target.value))))}
          />
        </label>
        <SamplingControls sampling={sampling} onChange={setSampling} />
        <ChatModeToggle available={available} chat={chat} onChange={setChat} />
        <button type="submit" disabled={!ready || running || !prompt.trim()}>
          Generate
        </button>{' '}
        <button
          type="button"
          disabled={!ready || compare.state === 'running' || !prompt.trim()}
          onClick={() => void wrap(prompt).then((text) => runCompare(text, maxTokens))}
        >
          Base vs MEMOIR
        </button>{' '}
        {running && (
          <button type="button" onClick={stop}>
            Stop
          </button>
        )}
      </form>
      <ComparePanel compare={compare} />
      {generation.state !== 'idle' && (
        <div className="completion">
          <p data-testid="completion">
            <span className="muted">{sent}</span>
            <b>{generation.text}</b>
          </p>
          {generation.state === 'done' && (
            <p className="muted" data-testid="completion-stats">
              {generation.completion.tokens} tokens, stopped by {generation.completion.stopReason}; prefill{' '}
              {generation.completion.prefillMillis.toFixed(0)} ms, decode{' '}
              {generation.completion.decodeMillis.toFixed(0)} ms
            </p>
          )}
          {generation.state === 'stopped' && <p className="muted">Stopped.</p>}
          {generation.state === 'failed' && <CallFailed what="Generation" failure={generation} />}
        </div>
      )}
    </section>
  );
}
