// The header's "Presentation" toggle: larger text and controls for a projector, as the class
// `presentation` on <html> (app.css scales the root font size from it), remembered in localStorage.
// Not a theme switcher: colours follow the system's light or dark scheme either way.
import { useEffect, useState } from 'react';

const KEY = 'editscope.presentation';

/** localStorage can be missing or throw (storage disabled, private modes): the mode is then not kept. */
function readStored(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

function store(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered across a reload; the mode still applies to this page.
  }
}

export function PresentationToggle() {
  const [on, setOn] = useState(readStored);
  useEffect(() => {
    document.documentElement.classList.toggle('presentation', on);
    store(on);
  }, [on]);
  return (
    <button
      type="button"
      className="presentation-toggle"
      aria-pressed={on}
      title="Larger text and controls for a projector"
      onClick={() => setOn(!on)}
    >
      Presentation
    </button>
  );
}
