// chatPrompt: one user turn in the tokenizer's chat_template, encoded with exactly one BOS (the
// template writes one and encode() adds one for the bundled tokenizer); hasChatTemplate.
import { readFileSync } from 'node:fs';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { chatPrompt, hasChatTemplate } from './tokenizer';

const dir = 'public/models/editscope-facts';
const json = JSON.parse(readFileSync(`${dir}/tokenizer.json`, 'utf8'));
const config = JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, 'utf8'));
const TEMPLATE =
  "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}</s>{% endfor %}" +
  '{% if add_generation_prompt %}<|assistant|>{% endif %}';

describe('chatPrompt', () => {
  it("wraps the text in the template and leaves the BOS to encode(): one BOS, the template's markers", () => {
    const tokenizer = new PreTrainedTokenizer(json, { ...config, chat_template: TEMPLATE });
    expect(hasChatTemplate(tokenizer)).toBe(true);
    const text = chatPrompt(tokenizer, 'The capital of France is');
    expect(text).toBe('<|user|>The capital of France is</s><|assistant|>');
    const ids = tokenizer.encode(text);
    expect(ids.filter((id) => id === tokenizer.bos_token_id)).toEqual([tokenizer.bos_token_id]);
    expect(ids[0]).toBe(tokenizer.bos_token_id);
  });

  it('a tokenizer without a chat_template has no Chat mode', () => {
    const tokenizer = new PreTrainedTokenizer(json, config);
    expect(hasChatTemplate(tokenizer)).toBe(false);
    expect(() => chatPrompt(tokenizer, 'x')).toThrow(/has no chat_template/);
  });
});
