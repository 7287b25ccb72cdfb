// One model's greedy answer under a heading: the prompt greyed, the answer in bold (the side-by-side
// columns of the Probe and Compare views).
export function Completion({
  title,
  prompt,
  answer,
  testId,
}: {
  title: string;
  prompt: string;
  answer: string;
  testId: string;
}) {
  return (
    <div>
      <h3>{title}</h3>
      <p data-testid={testId}>
        <span className="muted">{prompt}</span>
        <b>{answer}</b>
      </p>
    </div>
  );
}
