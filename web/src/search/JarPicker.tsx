// Choose some of the honey jars the person may read (none chosen means all of them), for search, for Bee and for
// an API key. The active jars come from the server a page at a time; past a screenful, a name box asks the server
// for the jars whose name holds it, so any jar can be found however many there are. Chosen jars stay chosen
// while the list shows others.
import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/records';
import { useSettled } from '../ui/settled';
import { JarChoicesDocument } from './documents';

export const JAR_CHOICES_PAGE = 50;
/** More jars than this and the picker offers the name box. */
const SCREENFUL = 12;
/** The most jars one choice holds: what a search, a conversation or an API key takes (none chosen: all of them). */
export const MAX_CHOSEN = 100;

export function JarPicker(props: { selected: string[]; onChange(ids: string[]): void; legend: string }) {
  const [text, setText] = useState('');
  const name = useSettled(text.trim(), 300);
  const variables = {
    first: JAR_CHOICES_PAGE,
    filter: { status: 'ACTIVE' as const, ...(name ? { name } : {}) },
  };
  const { data, error, loading, fetchMore } = useQuery(JarChoicesDocument, {
    variables,
    notifyOnNetworkStatusChange: true,
  });
  const connection = data?.honeyJars;
  const jars = connection?.nodes ?? [];
  const many =
    name !== '' || text !== '' || Boolean(connection?.pageInfo.hasNextPage) || jars.length > SCREENFUL;
  const full = props.selected.length >= MAX_CHOSEN;
  const toggle = (id: string) =>
    props.onChange(
      props.selected.includes(id) ? props.selected.filter((x) => x !== id) : [...props.selected, id],
    );
  return (
    <fieldset className="jar-picker">
      <legend>{props.legend}</legend>
      {error && <ErrorNotice error={error} />}
      {many && (
        <label>
          Find a honey jar by name
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      )}
      {connection && jars.length === 0 && !error && (
        <p className="muted">
          {name ? 'No honey jar has that in its name.' : 'No honey jars to choose from.'}
        </p>
      )}
      {jars.map((jar) => (
        <label key={jar.id} className="inline">
          <input
            type="checkbox"
            checked={props.selected.includes(jar.id)}
            disabled={full && !props.selected.includes(jar.id)}
            onChange={() => toggle(jar.id)}
          />
          {jar.name}
        </label>
      ))}
      <LoadMore
        pageInfo={connection?.pageInfo}
        loading={loading}
        fetchMore={fetchMore}
        variables={variables}
        label="More honey jars"
        loadingLabel="Loading…"
      />
      <p className="muted">
        {props.selected.length === 0 ? 'All your honey jars.' : `${props.selected.length} chosen.`}
        {full && ` ${MAX_CHOSEN} is the most one choice holds; choose none to use them all.`}
        {props.selected.length > 0 && (
          <>
            {' '}
            <button type="button" className="link" onClick={() => props.onChange([])}>
              Choose none (all)
            </button>
          </>
        )}
      </p>
    </fieldset>
  );
}
