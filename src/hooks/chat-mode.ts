// Chat mode for the views that send a prompt (Probe, Compare): offered when the loaded model's
// tokenizer has a chat_template; on, a prompt is sent as one user turn of that template (the worker's
// chatPrompt), so an instruct model sees what it was tuned on. Off, the typed text goes as it is.
import { useCallback, useState } from 'react';
import { useEngineClient } from './engine-context';
import { useModel } from './model-context';

export function useChatMode() {
  const client = useEngineClient();
  const { active } = useModel();
  const available = active?.chatTemplate === true;
  const [chosen, setChat] = useState(true);
  const chat = available && chosen;
  /** The text to send for `prompt`: templated in chat mode, else as typed. */
  const wrap = useCallback(
    (prompt: string): Promise<string> =>
      chat ? client.call('chatPrompt', { text: prompt }) : Promise.resolve(prompt),
    [client, chat],
  );
  return { available, chat, setChat, wrap };
}
