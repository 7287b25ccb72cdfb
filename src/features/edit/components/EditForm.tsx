// The edit a person types: a prompt and the new answer the model should give after it, each within the
// length an edit may have (lib/edit-text.ts; the worker checks it again before training).
import { useState, type FormEvent } from 'react';
import { editTextProblem } from '../../../lib/edit-text';

export function EditForm({
  disabled,
  onApply,
}: {
  disabled: boolean;
  onApply: (prompt: string, target: string) => void;
}) {
  const [prompt, setPrompt] = useState('The capital of France is');
  const [target, setTarget] = useState('Rome');
  const problem = !prompt.trim()
    ? 'Type the prompt to edit.'
    : !target.trim()
      ? 'Type the new answer.'
      : (editTextProblem('prompt', prompt.trim()) ?? editTextProblem('new answer', target.trim()));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!problem) onApply(prompt.trim(), target.trim());
  };

  return (
    <form className="edit-form" onSubmit={submit}>
      <label>
        Prompt{' '}
        <input
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          aria-label="Edit prompt"
          size={40}
        />
      </label>{' '}
      <label>
        → new answer{' '}
        <input value={target} onChange={(e) => setTarget(e.target.value)} aria-label="New answer" />
      </label>{' '}
      <button type="submit" disabled={disabled || problem !== null}>
        Apply edit
      </button>
      {problem && (
        <p className="muted" data-testid="edit-form-problem">
          {problem}
        </p>
      )}
    </form>
  );
}
