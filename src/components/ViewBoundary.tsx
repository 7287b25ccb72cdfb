// Catches a render error inside one view (a card that breaks the renderer, a code chunk that failed to
// load) and shows what failed with a way out, so the header, the navigation and the other views keep
// working. It touches nothing stored: the edits live in the engine worker's IndexedDB, not in React.
import { Component, type ReactNode } from 'react';

/** Enough of the error to recognize it; a long one (a whole stack, a huge input echoed) is cut. */
const MAX_SHOWN = 300;

interface Props {
  /** The view's title, e.g. "Models". */
  view: string;
  /** Leaves the failed view (the caller decides where to); absent, only "Try again" is offered. */
  onBack?: () => void;
  children: ReactNode;
}

export class ViewBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const text = error.message.length > MAX_SHOWN ? `${error.message.slice(0, MAX_SHOWN)}…` : error.message;
    return (
      <section className="notice error" role="alert" data-testid="view-failed">
        <p>
          The {this.props.view} view failed to show: {text || error.name}
        </p>
        <p className="muted">Your stored edits are not affected; the other views still work.</p>
        <button onClick={() => this.setState({ error: null })}>Try again</button>{' '}
        {this.props.onBack && <button onClick={this.props.onBack}>Go back</button>}
      </section>
    );
  }
}
