// Shares the stored edits as a link (#edits=…) that opens this view with an offer to import them. Past
// the link's limit it says so instead of offering a button that cannot work; a refusal is shown.
import { useState } from 'react';
import { MAX_SHARED_EDITS } from '../../../share/codec';

export function SharePanel({ count, makeLink }: { count: number; makeLink: () => Promise<string> }) {
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (count > MAX_SHARED_EDITS) {
    return (
      <p className="notice warn" data-testid="share-too-many">
        A share link carries at most {MAX_SHARED_EDITS} edits and there are {count} here, so no link can be
        made for them: export a backup to pass them all on.
      </p>
    );
  }
  const share = async () => {
    setProblem(null);
    const url = await makeLink().catch((error: Error) => {
      setProblem(`No link was made: ${error.message}.`);
      return null;
    });
    setLink(url);
    if (url === null) return;
    // Clipboard access can be refused (permissions, insecure context); the link stays selectable.
    setCopied(
      await navigator.clipboard?.writeText(url).then(
        () => true,
        () => false,
      ),
    );
  };
  return (
    <div className="share">
      <button onClick={() => void share()}>Share these edits</button>{' '}
      {link && (
        <>
          <input readOnly value={link} aria-label="Share link" size={60} onFocus={(e) => e.target.select()} />{' '}
          {copied && <span className="muted">copied</span>}
        </>
      )}
      {problem && <p className="notice error">{problem}</p>}
    </div>
  );
}
