// A stand-in Hugging Face hub for e2e: tiny random checkpoints built in memory (no committed weights)
// served in the hub's layout (`https://huggingface.co/{repo}/resolve/{revision}/{file}`) through
// Playwright's routing, so the app's own hub code (default host, Cache API, transformers.js' tokenizer
// fetch) runs unchanged and nothing leaves the machine. The checkpoints take the bundled model's
// tokenizer (vocab 4096: <s> 0, </s> 1) and its dims are tiny; their answers mean nothing.
import { readFileSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import { parseConfig } from '../src/models/config';
import { encodeSafetensors } from '../src/models/safetensors';
import { parameterTable } from '../src/engine/model/weights';
import { randn } from '../tests/helpers/random';

const TOKENIZER_DIR = 'public/models/editscope-facts';

/** Llama 3's chat markers, its bos first: Chat mode's text shows them. */
export const LLAMA3_CHAT_TEMPLATE =
  "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n" +
  "{{ m['content'] }}<|eot_id|>{% endfor %}" +
  '{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}';

const TINY = {
  vocab_size: 4096, // the bundled tokenizer's
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  head_dim: 16,
  rms_norm_eps: 1e-6,
  max_position_embeddings: 256, // chat markers take ~50 tokens of this vocabulary
  tie_word_embeddings: true,
  hidden_act: 'silu',
  bos_token_id: 0,
  eos_token_id: 1,
  torch_dtype: 'float32',
};

/** Qwen3's shape (q/k norms, head_dim apart from C/NH, tied). */
export const TINY_QWEN3 = { ...TINY, model_type: 'qwen3', rope_theta: 1000000, attention_bias: false };

/** Llama 3.2's shape: llama3 RoPE scaling (original context 64 of 256), tied. */
export const TINY_LLAMA32 = {
  ...TINY,
  model_type: 'llama',
  rope_theta: 500000,
  rope_scaling: {
    rope_type: 'llama3',
    factor: 4,
    low_freq_factor: 1,
    high_freq_factor: 4,
    original_max_position_embeddings: 64,
  },
};

/** Every tensor the config needs, seeded: Linear N(0, 1/fan_in), embedding N(0, 0.5²), norms ≈ 1. */
function randomWeights(config: Record<string, unknown>, seed: number): Buffer {
  const tensors: Parameters<typeof encodeSafetensors>[0] = {};
  let i = 0;
  for (const [name, shape] of parameterTable(parseConfig(config, 'tiny-hub'))) {
    const n = shape.reduce((a, d) => a * d, 1);
    const linear = shape.length === 2 && !name.includes('embed_tokens');
    let data = randn(n, seed * 1000 + i++, linear ? 1 / Math.sqrt(shape[1]) : 0.5);
    if (name.endsWith('norm.weight')) data = data.map((x) => 1 + 0.2 * x);
    tensors[name] = { dtype: 'F32', shape, data };
  }
  return Buffer.from(encodeSafetensors(tensors));
}

/** A repo's files: config.json, model.safetensors, the bundled tokenizer (with `chatTemplate` in its
 *  tokenizer_config.json when given). */
export function tinyRepo(
  config: Record<string, unknown>,
  seed: number,
  chatTemplate?: string,
): Record<string, Buffer> {
  const tokenizerConfig = JSON.parse(readFileSync(`${TOKENIZER_DIR}/tokenizer_config.json`, 'utf8'));
  return {
    'config.json': Buffer.from(JSON.stringify(config)),
    'model.safetensors': randomWeights(config, seed),
    'tokenizer.json': readFileSync(`${TOKENIZER_DIR}/tokenizer.json`),
    'tokenizer_config.json': Buffer.from(
      JSON.stringify(chatTemplate ? { ...tokenizerConfig, chat_template: chatTemplate } : tokenizerConfig),
    ),
  };
}

/** Serves `repos` (repo id → files, at any revision) for huggingface.co; anything else is 404.
 *  Returns the URLs asked for, in order. */
export async function serveHub(
  context: BrowserContext,
  repos: Record<string, Record<string, Buffer>>,
): Promise<string[]> {
  const requested: string[] = [];
  await context.route('https://huggingface.co/**', async (route) => {
    const url = route.request().url();
    requested.push(url);
    const [, repo, file] =
      /^https:\/\/huggingface\.co\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(url) ?? [];
    const body = repo ? repos[repo]?.[file] : undefined;
    const headers = { 'access-control-allow-origin': '*' };
    if (!body) return route.fulfill({ status: 404, body: '', headers });
    await route.fulfill({
      status: 200,
      body,
      headers: {
        ...headers,
        'content-type': 'application/octet-stream',
        'content-length': String(body.length),
      },
    });
  });
  return requested;
}
