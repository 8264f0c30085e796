// A filter's choice among an enum's values, or any of them (the empty value).
export function AnyOf({
  values,
  label = (v) => v,
  ...select
}: {
  values: readonly string[];
  label?: (value: string) => string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
}) {
  return (
    <select {...select}>
      <option value="">Any</option>
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </select>
  );
}
