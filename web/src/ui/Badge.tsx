// A small labelled badge; the tone only colours it, the text always says what it means.
export function Badge({
  children,
  tone = 'neutral',
}: {
  children: string;
  tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info';
}) {
  return <span className={`badge ${tone}`}>{children}</span>;
}
