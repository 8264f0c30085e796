// Picking a person by name: a combobox that asks searchPeople as the person types (from 2 characters, a moment
// after the last key), with the listbox keyboard pattern (arrows, Enter, Escape).
import { useId, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@apollo/client/react';
import { graphql } from '../gql';
import type { PickedPerson } from './person';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useSettled } from '../ui/settled';

export const SearchPeopleDocument = graphql(`
  query SearchPeople($query: String!, $first: Int) {
    searchPeople(query: $query, first: $first) {
      id
      displayName
      email
    }
  }
`);

export type { PickedPerson };

export function PersonPicker({
  label,
  onPick,
  exclude = [],
  delayMs = 250,
}: {
  label: string;
  onPick(person: PickedPerson): void;
  /** Ids not to offer (e.g. people already members). */
  exclude?: readonly string[];
  delayMs?: number;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useSettled(text.trim(), delayMs);
  const { data, loading, error } = useQuery(SearchPeopleDocument, {
    variables: { query, first: 10 },
    skip: query.length < 2,
  });
  const people = query.length < 2 ? [] : (data?.searchPeople ?? []).filter((p) => !exclude.includes(p.id));
  const expanded = open && query.length >= 2;

  const pick = (person: PickedPerson) => {
    onPick(person);
    setText('');
    setOpen(false);
    setActive(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, Math.max(people.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter' && expanded && people[active]) {
      event.preventDefault();
      pick(people[active]);
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  };

  return (
    <div className="person-picker">
      <label htmlFor={`${id}-input`}>{label}</label>
      <input
        id={`${id}-input`}
        role="combobox"
        aria-expanded={expanded}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={expanded && people[active] ? `${id}-${people[active].id}` : undefined}
        autoComplete="off"
        placeholder="Type at least 2 letters of a name"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <ul id={`${id}-list`} role="listbox" aria-label={label} hidden={!expanded} className="options">
        {people.map((person, i) => (
          <li
            key={person.id}
            id={`${id}-${person.id}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(person)}
          >
            {person.displayName}
            {person.email && <span className="muted"> · {person.email}</span>}
          </li>
        ))}
      </ul>
      {expanded && !loading && data && people.length === 0 && (
        <p className="muted" role="status">
          Nobody matches “{query}”.
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
