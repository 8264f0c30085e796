// The audit log screen: records with who acted (a person, their API key, the system or nobody), filters sent
// as the query's filter, and the chain check's answer said plainly, intact or broken.
import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import type { MockedResponse } from '@apollo/client/testing';
import { createCache } from '../app/apollo';
import { AuditPage, describeActor } from './AuditPage';
import { AuditEventsDocument, VerifyAuditLogDocument } from './documents';

function record(id: string, over: Record<string, unknown> = {}) {
  return {
    __typename: 'AuditEvent',
    id,
    seq: id,
    at: '2026-11-30T12:00:00.000Z',
    actorType: 'USER',
    actorId: 'u-1',
    actor: null,
    apiKeyId: null,
    action: 'user.role_changed',
    targetType: 'User',
    targetId: 'u-2',
    outcome: 'SUCCESS',
    requestId: `req-${id}`,
    clientAddress: '127.0.0.1',
    details: '{"role":"VIEWER"}',
    ...over,
  };
}

const page = (nodes: unknown[]) => ({
  data: {
    auditEvents: {
      __typename: 'AuditEventConnection',
      nodes,
      pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
    },
  },
});

/** The first page the screen asks for, unfiltered. */
const firstPage = (nodes: unknown[]): MockedResponse => ({
  request: { query: AuditEventsDocument, variables: { filter: {}, first: 50 } },
  result: page(nodes),
});

function showAuditPage(mocks: MockedResponse[]) {
  return render(
    <MockedProvider cache={createCache()} mocks={mocks}>
      <AuditPage />
    </MockedProvider>,
  );
}

describe('describeActor', () => {
  it('names the person, the key they used, the system or nobody', () => {
    expect(describeActor({ actorType: 'USER', actorId: 'u-1' })).toBe('u-1');
    expect(describeActor({ actorType: 'API_KEY', actorId: 'u-1', apiKeyId: 'k-1' })).toBe(
      'u-1 (API key k-1)',
    );
    expect(describeActor({ actorType: 'SYSTEM' })).toBe('System');
    expect(describeActor({ actorType: 'ANONYMOUS', actorId: null })).toBe('Anonymous');
  });
});

describe('AuditPage', () => {
  it('filters by outcome and action, and reports a broken chain with the first broken record', async () => {
    showAuditPage([
      firstPage([record('1'), record('2', { outcome: 'DENIED', action: 'mutation deleteUser' })]),
      {
        request: {
          query: AuditEventsDocument,
          variables: { filter: { action: 'auth.*', outcome: 'FAILURE' }, first: 50 },
        },
        result: page([
          record('3', {
            action: 'auth.sign_in',
            outcome: 'FAILURE',
            actorType: 'ANONYMOUS',
            actorId: null,
          }),
        ]),
      },
      {
        request: { query: VerifyAuditLogDocument },
        result: {
          data: {
            verifyAuditLog: {
              __typename: 'AuditVerification',
              ok: false,
              checked: 41,
              firstBrokenId: 'e-41',
              firstBrokenSeq: '41',
              reason: 'contents do not match the hash',
            },
          },
        },
      },
    ]);
    const denied = (await screen.findByText('mutation deleteUser')).closest('tr')!;
    expect(within(denied).getByText('Denied')).toBeTruthy();
    expect(denied.textContent).toContain('req-2');
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'auth.*' } });
    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'FAILURE' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    const failed = (await screen.findByText('auth.sign_in')).closest('tr')!;
    expect(failed.textContent).toContain('Anonymous');
    expect(screen.queryByText('mutation deleteUser')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Verify the chain' }));
    expect((await screen.findByText(/The chain is broken/)).textContent).toBe(
      'The chain is broken at record 41 (contents do not match the hash), after 41 records checked.',
    );
  });

  it('narrows the log to one actor when their id is clicked, keeping the whole id readable', async () => {
    const person = 'c0ffee00-1111-2222-3333-444455556666';
    showAuditPage([
      firstPage([
        record('1', { actorId: person, apiKeyId: 'k-1' }),
        record('2', { actorType: 'SYSTEM', actorId: null }),
      ]),
      {
        request: { query: AuditEventsDocument, variables: { filter: { actor: person }, first: 50 } },
        result: page([record('1', { actorId: person, action: 'api_key.used' })]),
      },
    ]);
    const actor = await screen.findByRole('button', { name: `Only records of ${person}` });
    expect(actor.textContent).toContain('c0ffee00…');
    expect(actor.closest('td')!.textContent).toContain('with key k-1');
    expect(screen.getByText('System')).toBeTruthy();
    fireEvent.click(actor);
    await screen.findByText('api_key.used');
    expect((screen.getByLabelText('Actor') as HTMLInputElement).value).toBe(person);
  });

  it('names the person who acted as they are now, and keeps the id of one since deleted', async () => {
    const ada = {
      __typename: 'User',
      id: 'u-ada',
      displayName: 'Ada Moreau',
      email: 'ada@example.com',
    };
    showAuditPage([
      firstPage([
        record('1', { actorId: 'u-ada', actor: ada }),
        record('2', { actorId: 'd0d0d0d0-0000-4000-8000-000000000000', actor: null }),
      ]),
    ]);
    const named = await screen.findByRole('button', { name: 'Only records of Ada Moreau' });
    expect(named.textContent).toBe('Ada Moreau');
    expect(within(named).getByTitle('ada@example.com (u-ada)')).toBeTruthy();
    const gone = screen.getByRole('button', { name: 'Only records of d0d0d0d0-0000-4000-8000-000000000000' });
    expect(gone.textContent).toContain('d0d0d0d0…');
  });
});
