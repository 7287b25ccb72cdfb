// The Chat / raw switch of useChatMode, shown only for models with a chat template.
export function ChatModeToggle({
  available,
  chat,
  onChange,
}: {
  available: boolean;
  chat: boolean;
  onChange: (chat: boolean) => void;
}) {
  if (!available) return null;
  return (
    <label title="wrap the prompt as one user turn of the model's chat template, with the assistant's turn opened">
      <input
        type="checkbox"
        checked={chat}
        onChange={(e) => onChange(e.target.checked)}
        data-testid="chat-mode"
      />{' '}
      Chat (the model's chat template)
    </label>
  );
}
