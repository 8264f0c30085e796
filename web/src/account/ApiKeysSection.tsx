// API keys for scripts and REST clients: create one (name, scopes, expiry, optionally only some honey jars) and
// see the key once with a copy button; list keys with their last use; revoke one after a confirmation.
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useStepUp } from '../auth/step-up';
import { JarPicker } from '../search/JarPicker';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ConfirmAction, ItemButton, useItemAction } from '../ui/ItemAction';
import { SecretOnce } from '../ui/SecretOnce';
import { Table } from '../ui/records';
import { Empty, Loading } from '../ui/states';
import type { Role } from '../gql/graphql';
import { apiKeyInput, EXPIRY_CHOICES, scopesFor, type ApiKeyForm, type ExpiryChoice } from './api-key-form';
import { ApiKeysDocument, CreateApiKeyDocument, RevokeApiKeyDocument } from './documents';
import { when } from './format';
import { counted } from '../ui/counted';

const emptyForm: ApiKeyForm = { name: '', scopes: [], expiry: '90', expiryDate: '', honeyJarIds: [] };

/** `role` is the signed-in person's: it decides which scopes a key of theirs may have. */
export function ApiKeysSection({ role }: { role: Role | null | undefined }) {
  const { data, loading, error } = useQuery(ApiKeysDocument, { fetchPolicy: 'cache-and-network' });
  const refetchQueries = [{ query: ApiKeysDocument }];
  const [create, created] = useMutation(CreateApiKeyDocument, { refetchQueries });
  const [revoke] = useMutation(RevokeApiKeyDocument, { refetchQueries });
  const stepUp = useStepUp();
  const [form, setForm] = useState<ApiKeyForm>(emptyForm);
  const [problem, setProblem] = useState<unknown>(null);
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const revoking = useItemAction<{ id: string; name: string }>();
  const keys = data?.apiKeys ?? [];
  const scopesHelp = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = apiKeyInput(form);
    if ('problem' in checked) return setProblem(new Error(checked.problem));
    setProblem(null);
    try {
      const result = await stepUp(() => create({ variables: { input: checked.input } }));
      const made = result.data!.createApiKey;
      setShown({ name: made.apiKey.name, key: made.key });
      setForm(emptyForm);
    } catch (e) {
      setProblem(e);
    }
  }

  const toggleScope = (scope: string) =>
    setForm((f) => ({
      ...f,
      scopes: f.scopes.includes(scope) ? f.scopes.filter((s) => s !== scope) : [...f.scopes, scope],
    }));

  return (
    <section className="card" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted">
        Scripts and REST clients send a key as <code>Authorization: Bearer sting_…</code>. A key never does
        more than you can.
      </p>
      {shown && (
        <SecretOnce label="New API key" secret={shown.key} what="key" onDone={() => setShown(null)}>
          <p>
            <strong>Copy the key “{shown.name}” now.</strong> It is not shown again.
          </p>
        </SecretOnce>
      )}
      {loading && !data && <Loading label="Loading your API keys" />}
      {error && <ErrorNotice error={error} />}
      {data && keys.length === 0 && <Empty title="No API keys yet." />}
      {keys.length > 0 && (
        <Table columns={['Name', 'Scopes', 'Created', 'Last used', 'Expires']} actions>
          {keys.map((key) => (
            <tr key={key.id}>
              <td>
                {key.name} <code className="muted">{key.prefix}…</code>
                {key.honeyJarIds && key.honeyJarIds.length > 0 && (
                  <>
                    {' '}
                    <Badge tone="info">{counted(key.honeyJarIds.length, 'jar')}</Badge>
                  </>
                )}
              </td>
              <td>
                <span className="badges">
                  {key.scopes.map((scope) => (
                    <Badge key={scope}>{scope}</Badge>
                  ))}
                </span>
              </td>
              <td>{when(key.createdAt)}</td>
              <td>{when(key.lastUsedAt)}</td>
              <td>{key.expiresAt ? new Date(key.expiresAt).toLocaleDateString() : 'Never'}</td>
              <td>
                {key.revokedAt ? (
                  <Badge tone="bad">Revoked</Badge>
                ) : (
                  <ItemButton verb="Revoke" name={key.name} onClick={() => revoking.ask(key)} />
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}

      <form onSubmit={submit} className="stack" noValidate aria-labelledby="new-key-title">
        <h3 id="new-key-title">New API key</h3>
        <label>
          Key name
          <input
            value={form.name}
            maxLength={80}
            onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
          />
        </label>
        <fieldset className="jar-picker" aria-describedby={role === 'VIEWER' ? scopesHelp : undefined}>
          <legend>Scopes</legend>
          {role === 'VIEWER' && (
            <p id={scopesHelp} className="muted">
              No write scopes: a viewer cannot change honey jars or documents, so neither can their keys.
            </p>
          )}
          {scopesFor(role).map(({ scope, label }) => (
            <label key={scope} className="inline">
              <input
                type="checkbox"
                checked={form.scopes.includes(scope)}
                onChange={() => toggleScope(scope)}
              />
              <span>
                <code>{scope}</code> — {label}
              </span>
            </label>
          ))}
        </fieldset>
        <label>
          Expires
          <select
            value={form.expiry}
            onChange={(e) => setForm((f) => ({ ...f, expiry: e.target.value as ExpiryChoice }))}
          >
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        {form.expiry === 'date' && (
          <label>
            Expiry date
            <input
              type="date"
              value={form.expiryDate}
              onChange={(e) => setForm((f) => ({ ...f, expiryDate: e.target.value }))}
            />
          </label>
        )}
        <JarPicker
          legend="Only these honey jars (none chosen: every jar you may use)"
          selected={[...form.honeyJarIds]}
          onChange={(ids) => setForm((f) => ({ ...f, honeyJarIds: ids }))}
        />
        {problem !== null && <ErrorNotice error={problem} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={created.loading}>
            Create API key
          </button>
        </div>
      </form>

      <ConfirmAction
        action={revoking}
        title={(key) => `Revoke the API key “${key.name}”?`}
        confirmLabel="Revoke key"
        run={(key) => revoke({ variables: { id: key.id } })}
      >
        <p>Scripts using it stop working at once. This cannot be undone.</p>
      </ConfirmAction>
    </section>
  );
}
