// Choose some of the honey jars the person may read (none chosen means all of them), for search and for Bee.
import { useQuery } from '@apollo/client/react';
import { ErrorNotice } from '../ui/ErrorNotice';
import { JarChoicesDocument } from './documents';

export function JarPicker(props: { selected: string[]; onChange(ids: string[]): void; legend: string }) {
  const { data, error } = useQuery(JarChoicesDocument);
  const jars = (data?.honeyJars.nodes ?? []).filter((jar) => jar.status === 'ACTIVE');
  const toggle = (id: string) =>
    props.onChange(
      props.selected.includes(id) ? props.selected.filter((x) => x !== id) : [...props.selected, id],
    );
  return (
    <fieldset className="jar-picker">
      <legend>{props.legend}</legend>
      {error && <ErrorNotice error={error} />}
      {jars.length === 0 && !error && <p className="muted">No honey jars to choose from.</p>}
      {jars.map((jar) => (
        <label key={jar.id} className="inline">
          <input type="checkbox" checked={props.selected.includes(jar.id)} onChange={() => toggle(jar.id)} />
          {jar.name}
        </label>
      ))}
      <p className="muted">
        {props.selected.length === 0 ? 'All your honey jars.' : `${props.selected.length} chosen.`}
      </p>
    </fieldset>
  );
}
