// How long an edit's prompt and new answer may be, checked where they are typed (the Edit view), again in
// the engine worker before anything is trained or stored, and in a backup file being imported. The bound
// is the share links' (src/share): an edit that can be stored can also be shared.

export const MAX_EDIT_TEXT = 500;

/** Why `text` cannot be an edit's `what` ("prompt", "new answer"), in words; null when it can. */
export function editTextProblem(what: string, text: string): string | null {
  if (!text.trim()) return `The ${what} is empty.`;
  if (text.length > MAX_EDIT_TEXT) {
    return `The ${what} is ${text.length} characters long; an edit's may be at most ${MAX_EDIT_TEXT}.`;
  }
  return null;
}
