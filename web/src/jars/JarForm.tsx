// The fields of a honey jar, shared by "new jar" and "edit jar". The server validates; its message is shown.
import { useState, type FormEvent } from 'react';
import type { HoneyJarType } from '../gql/graphql';
import { jarTypes, parseTags, typeLabel } from './labels';

const hasMembers = (type: HoneyJarType | undefined) => type === 'TEAM' || type === 'RESTRICTED';

export interface JarFields {
  name: string;
  description: string;
  type: HoneyJarType;
  tags: string[];
}

export function JarForm(props: {
  initial?: Partial<JarFields>;
  submitLabel: string;
  busy: boolean;
  onSubmit(fields: JarFields): void;
  onCancel?(): void;
}) {
  const [name, setName] = useState(props.initial?.name ?? '');
  const [description, setDescription] = useState(props.initial?.description ?? '');
  const [type, setType] = useState<HoneyJarType>(props.initial?.type ?? 'PRIVATE');
  const [tags, setTags] = useState((props.initial?.tags ?? []).join(', '));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit({ name: name.trim(), description: description.trim(), type, tags: parseTags(tags) });
  };
  return (
    <form onSubmit={submit} className="stack">
      <label>
        Name
        <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description
        <textarea
          maxLength={2000}
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <fieldset>
        <legend>Who can read it</legend>
        {jarTypes.map((option) => (
          <label key={option.value} className="inline">
            <input
              type="radio"
              name="jar-type"
              value={option.value}
              checked={type === option.value}
              onChange={() => setType(option.value)}
            />
            <span>
              {option.label} <span className="muted">— {option.help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {hasMembers(props.initial?.type) && !hasMembers(type) && (
        <p className="notice" role="note">
          A {typeLabel(type).toLowerCase()} jar has no members: saving removes everyone you added, and sharing
          it again later means adding them again.
        </p>
      )}
      <label>
        Tags <span className="muted">(comma separated)</span>
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <div className="actions">
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={props.busy}>
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}
