// Creating an API key: only the scopes the person's role allows are offered (a viewer's key writes nothing, only
// an administrator's administers), the form's rules are shown before anything is sent, the new key appears once
// with a copy button, is gone after "Done", and the list (with last use) is refreshed; revoking asks first.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { createCache } from '../app/apollo';
import { JarChoicesDocument } from '../search/documents';
import { ApiKeysDocument, CreateApiKeyDocument, RevokeApiKeyDocument } from './documents';
import { ApiKeysSection } from './ApiKeysSection';

const key = (over: Record<string, unknown> = {}) => ({
  __typename: 'ApiKey',
  id: 'k-1',
  name: 'nightly export',
  prefix: 'sting_ab12cd34',
  scopes: ['search'],
  expiresAt: null,
  lastUsedAt: '2026-11-30T10:00:00.000Z',
  createdAt: '2026-11-29T10:00:00.000Z',
  revokedAt: null,
  honeyJarIds: ['j-1'],
  ...over,
});

const jars = {
  request: { query: JarChoicesDocument, variables: { first: 50, filter: { status: 'ACTIVE' } } },
  result: {
    data: {
      honeyJars: {
        __typename: 'HoneyJarConnection',
        nodes: [{ __typename: 'HoneyJar', id: 'j-1', name: 'Field notes' }],
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'c-1' },
      },
    },
  },
  maxUsageCount: 5,
};

describe('ApiKeysSection', () => {
  it.each([
    ['VIEWER', ['honey-jars:read', 'search', 'bee:chat']],
    ['MEMBER', ['honey-jars:read', 'honey-jars:write', 'documents:write', 'search', 'bee:chat']],
    ['ADMIN', ['honey-jars:read', 'honey-jars:write', 'documents:write', 'search', 'bee:chat', 'admin']],
  ] as const)('offers a %s only the scopes the role can use', async (role, scopes) => {
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[jars, { request: { query: ApiKeysDocument }, result: { data: { apiKeys: [] } } }]}
      >
        <ApiKeysSection role={role} />
      </MockedProvider>,
    );
    await screen.findByText('No API keys yet.');
    const fieldset = screen.getByRole('group', { name: 'Scopes' });
    const offered = within(fieldset)
      .getAllByRole('checkbox')
      .map((box) => box.closest('label')!.querySelector('code')!.textContent);
    expect(offered).toEqual(scopes);
    // A viewer is told why the write scopes are not there.
    const why = 'No write scopes: a viewer cannot change honey jars or documents, so neither can their keys.';
    expect(fieldset.getAttribute('aria-describedby') !== null).toBe(role === 'VIEWER');
    expect(within(fieldset).queryByText(why) !== null).toBe(role === 'VIEWER');
  });

  it('checks the form, creates the key, shows it once and lists it', async () => {
    const writeText = jest.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const create = jest.fn(() => ({
      data: {
        createApiKey: {
          __typename: 'CreatedApiKey',
          key: 'sting_ab12cd34_secretpart',
          apiKey: { __typename: 'ApiKey', id: 'k-1', name: 'nightly export' },
        },
      },
    }));
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          jars,
          { request: { query: ApiKeysDocument }, result: { data: { apiKeys: [] } } },
          {
            request: {
              query: CreateApiKeyDocument,
              variables: (v: any) =>
                v.input.name === 'nightly export' &&
                v.input.scopes.join() === 'search' &&
                v.input.honeyJarIds?.join() === 'j-1' &&
                v.input.expiresAt === null,
            },
            result: create,
          },
          { request: { query: ApiKeysDocument }, result: { data: { apiKeys: [key()] } } },
        ]}
      >
        <ApiKeysSection role="MEMBER" />
      </MockedProvider>,
    );
    await screen.findByText('No API keys yet.');
    fireEvent.change(screen.getByLabelText('Key name'), { target: { value: 'nightly export' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create API key' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose at least one scope.');
    expect(create).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('checkbox', { name: /^search/ }));
    fireEvent.change(screen.getByLabelText('Expires'), { target: { value: 'never' } });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Field notes' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create API key' }));

    const shown = await screen.findByRole('region', { name: 'New API key' });
    expect(shown.textContent).toContain('sting_ab12cd34_secretpart');
    fireEvent.click(within(shown).getByRole('button', { name: 'Copy key' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('sting_ab12cd34_secretpart'));
    await within(shown).findByRole('button', { name: 'Copied' });
    const row = (await screen.findByText(/sting_ab12cd34…/)).closest('tr')!;
    expect(row.textContent).toContain('1 jar');
    expect(row.textContent).toContain(new Date('2026-11-30T10:00:00.000Z').toLocaleString());
    fireEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('sting_ab12cd34_secretpart')).toBeNull();
    // The form is empty again for the next key.
    expect((screen.getByLabelText('Key name') as HTMLInputElement).value).toBe('');
  });

  it('revokes a key only after a confirmation, and marks revoked keys', async () => {
    const revoke = jest.fn(() => ({ data: { revokeApiKey: true } }));
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          jars,
          { request: { query: ApiKeysDocument }, result: { data: { apiKeys: [key()] } } },
          { request: { query: RevokeApiKeyDocument, variables: { id: 'k-1' } }, result: revoke },
          {
            request: { query: ApiKeysDocument },
            result: { data: { apiKeys: [key({ revokedAt: '2026-11-30T12:00:00.000Z' })] } },
          },
        ]}
      >
        <ApiKeysSection role="MEMBER" />
      </MockedProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke nightly export' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke the API key “nightly export”?' });
    expect(revoke).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke key' }));
    await screen.findByText('Revoked');
    expect(revoke).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: 'Revoke nightly export' })).toBeNull();
  });
});
