// The loaded model's card, folded under the summary: for the bundled models, what they were taught, how
// they were trained and what they reach (a class can see exactly what the model knows). Rendered as
// Markdown with tables; raw HTML in a card is shown as text, never run, and unsafe link schemes dropped.
// A card beyond the size and nesting bounds of card-limits.ts is refused with the reason, unparsed.
import Markdown, { defaultUrlTransform } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { cardUrl } from '../../../models/card';
import type { ModelSource } from '../../../models/hub';
import { useModelReadme } from '../hooks/useModelReadme';
import { cardRefusal } from './card-limits';

export function ModelReadme({ source }: { source: ModelSource }) {
  const readme = useModelReadme(source);
  const refusal = readme.state === 'ready' ? cardRefusal(readme.markdown) : null;
  return (
    <details className="model-readme" data-testid="model-readme">
      <summary>Model card: what it was trained on and what it reaches</summary>
      {readme.state === 'loading' && <p className="muted">Fetching the model card…</p>}
      {readme.state === 'none' && <p className="muted">This model’s repo has no card (README.md).</p>}
      {readme.state === 'failed' && (
        <p className="notice warn">The model card could not be fetched: {readme.message}</p>
      )}
      {refusal && (
        <p className="notice warn" data-testid="card-refused">
          {refusal}
        </p>
      )}
      {readme.state === 'ready' && !refusal && (
        <Markdown
          remarkPlugins={[remarkGfm]}
          urlTransform={(url) => defaultUrlTransform(cardUrl(url, source))}
        >
          {readme.markdown}
        </Markdown>
      )}
    </details>
  );
}
