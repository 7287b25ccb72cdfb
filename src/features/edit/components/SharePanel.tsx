// Shares the stored edits as a link (#edits=…) that opens this view with an offer to import them.
import { useState } from 'react';

export function SharePanel({ makeLink }: { makeLink: () => Promise<string> }) {
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const share = async () => {
    const url = await makeLink();
    setLink(url);
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
    </div>
  );
}
