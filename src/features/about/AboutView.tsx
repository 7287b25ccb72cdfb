// The About view: what Editscope is, which published editors it implements, and where each view helps.
export function AboutView() {
  return (
    <section className="about">
      <h2>About Editscope</h2>
      <p>
        Editscope edits what a language model knows, entirely in your browser: type an edit such as “The
        capital of France is” → “Rome”, apply it on your own GPU in seconds, then probe where the edit reaches
        — the prompt itself, its paraphrases, related facts that must not change, and unrelated text.
      </p>
      <h3>Two published editors, side by side</h3>
      <ul>
        <li>
          <b>SERAC</b> (Mitchell et al., ICML 2022): edits live in an explicit memory; a scope classifier
          decides whether a query is covered by a stored edit; covered queries go to a counterfactual model,
          the rest to the frozen base model.
        </li>
        <li>
          <b>MEMOIR</b> (Wang et al., 2025): a zero-initialised residual memory on one FFN down-projection;
          each edit trains only the memory columns chosen by a sample-dependent sparse mask, and a query
          switches the memory on only when its mask overlaps a stored edit’s mask enough.
        </li>
      </ul>
      <h3>Where to look</h3>
      <ul>
        <li>
          <b>Edit</b>: add an edit. MEMOIR trains it into its memory (watch each step’s loss and target
          probability, or cancel); SERAC keeps the same edit in its memory as written. Both gates are set
          here.
        </li>
        <li>
          <b>Probe</b>: complete any prompt, or see the base and the MEMOIR-edited model side by side with the
          best-matching edit and its mask overlap.
        </li>
        <li>
          <b>Scope</b>: test one edit against paraphrases, related facts and unrelated text, with both
          editors.
        </li>
        <li>
          <b>Compare</b>: the base model, MEMOIR and SERAC answer the same prompt.
        </li>
        <li>
          <b>Benchmark</b>: measure both editors on the bundled facts benchmark (reliability, generalisation,
          locality) without touching your edits.
        </li>
        <li>
          <b>Models</b>: load the bundled model or a Hugging Face model, and read the loaded model’s card (for
          the bundled one, exactly what it was taught).
        </li>
        <li>
          <b>System</b>: your GPU and a self test of the engine.
        </li>
      </ul>
      <p>
        SERAC’s scope model and counterfactual model the edits, not the base model: the bundled model has its
        own, trained on the facts it knows; any other model gets a sentence-embedding scope model from the
        Hugging Face hub, its threshold calibrated for that model, and answers itself with the edit in context
        (or a counterfactual model you pick). The Edit view says which SERAC uses and why.
      </p>
      <p className="muted">
        Nothing you type leaves this device: models run in a Web Worker on WebGPU (or the CPU).
      </p>
    </section>
  );
}
