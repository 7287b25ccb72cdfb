// The About view: what Editscope is and which published editors it implements.
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
      <p>
        This version edits with MEMOIR (Edit, Probe and Scope views). SERAC’s counterfactual model and scope
        classifier are bundled, but its editor is not built yet.
      </p>
      <p className="muted">
        Nothing you type leaves this device: models run in a Web Worker on WebGPU (or the CPU).
      </p>
    </section>
  );
}
