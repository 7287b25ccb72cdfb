// Stands in for a view that is not built yet, saying so plainly instead of showing a fake UI.
export function PlannedView({ title, summary }: { title: string; summary: string }) {
  return (
    <section className="planned" data-testid="planned-view">
      <h2>{title}</h2>
      <p>{summary}</p>
      <p className="muted">Not built yet in this version of Editscope.</p>
    </section>
  );
}
