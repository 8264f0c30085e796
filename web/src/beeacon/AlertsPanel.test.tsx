// The alert list: filters sent as the query's filter, "Load more" appending the next page, alerts arriving live
// at the top only when they fit the filter, and Acknowledge / Resolve showing the state the server answered.
import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { ApolloClient, ApolloLink } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { MockLink, MockSubscriptionLink } from '@apollo/client/testing';
import { OperationTypeNode } from 'graphql';
import { createCache } from '../app/apollo';
import { AlertsPanel, ALERTS_PAGE } from './AlertsPanel';
import { AcknowledgeAlertDocument, AlertsDocument, ResolveAlertDocument } from './documents';

function alert(id: string, over: Record<string, unknown> = {}) {
  return {
    __typename: 'Alert',
    id,
    severity: 'WARNING',
    title: `Alert ${id}`,
    message: null,
    source: 'gateway',
    createdAt: '2026-11-30T12:00:00.000Z',
    state: 'OPEN',
    count: 1,
    lastSeenAt: '2026-11-30T12:00:00.000Z',
    acknowledgedAt: null,
    resolvedAt: null,
    ...over,
  };
}

const page = (filter: object, nodes: unknown[], next: string | null = null, after?: string) => ({
  request: {
    query: AlertsDocument,
    variables: { filter, first: ALERTS_PAGE, ...(after ? { after } : {}) },
  },
  result: {
    data: {
      alerts: {
        __typename: 'AlertConnection',
        nodes,
        pageInfo: { __typename: 'PageInfo', hasNextPage: next !== null, endCursor: next },
      },
    },
  },
});

function renderPanel(mocks: ConstructorParameters<typeof MockLink>[0]) {
  const live = new MockSubscriptionLink();
  const client = new ApolloClient({
    cache: createCache(),
    link: ApolloLink.split(
      ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
      live,
      new MockLink(mocks),
    ),
  });
  render(
    <ApolloProvider client={client}>
      <AlertsPanel />
    </ApolloProvider>,
  );
  return live;
}

const rows = () =>
  within(screen.getByRole('list', { name: 'Alerts, newest first' })).queryAllByRole('listitem');
const rowOf = (title: string) => screen.getByText(title).closest('li')!;

describe('AlertsPanel', () => {
  it('loads more pages, filters, and puts a live alert on top only when it fits the filter', async () => {
    const live = renderPanel([
      page({}, [alert('1'), alert('2')], 'c2'),
      page({}, [alert('3', { severity: 'INFO' })], null, 'c2'),
      page({ severity: 'CRITICAL', state: 'OPEN' }, [alert('9', { severity: 'CRITICAL' })]),
    ]);
    await screen.findByText('Alert 1');
    expect(rows()).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Load more alerts' }));
    await screen.findByText('Alert 3');
    expect(rows().map((r) => r.querySelector('strong')!.textContent)).toEqual([
      'Alert 1',
      'Alert 2',
      'Alert 3',
    ]);
    expect(screen.queryByRole('button', { name: 'Load more alerts' })).toBeNull();

    live.simulateResult({ result: { data: { alertRaised: alert('4', { title: 'Hive too warm' }) } } });
    await screen.findByText('Hive too warm');
    expect(rows()[0]!.textContent).toContain('Hive too warm');
    expect(rows()).toHaveLength(4);

    fireEvent.change(screen.getByLabelText('Severity'), { target: { value: 'CRITICAL' } });
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'OPEN' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await screen.findByText('Alert 9');
    expect(rows()).toHaveLength(1);
    // A warning does not belong in a list of critical alerts; a critical one does.
    live.simulateResult({ result: { data: { alertRaised: alert('5', { title: 'Only a warning' }) } } });
    live.simulateResult({
      result: { data: { alertRaised: alert('6', { title: 'Queen missing', severity: 'CRITICAL' }) } },
    });
    await screen.findByText('Queen missing');
    expect(screen.queryByText('Only a warning')).toBeNull();
    expect(rows().map((r) => r.querySelector('strong')!.textContent)).toEqual(['Queen missing', 'Alert 9']);
  });

  it('acknowledges and resolves an alert, showing the state the server answered', async () => {
    renderPanel([
      page({}, [alert('1'), alert('2', { title: 'Gone already' })]),
      {
        request: { query: AcknowledgeAlertDocument, variables: { id: '1' } },
        result: {
          data: {
            acknowledgeAlert: alert('1', {
              state: 'ACKNOWLEDGED',
              acknowledgedAt: '2026-11-30T12:05:00.000Z',
            }),
          },
        },
      },
      {
        request: { query: ResolveAlertDocument, variables: { id: '1' } },
        result: {
          data: {
            resolveAlert: alert('1', {
              state: 'RESOLVED',
              acknowledgedAt: '2026-11-30T12:05:00.000Z',
              resolvedAt: '2026-11-30T12:06:00.000Z',
            }),
          },
        },
      },
      {
        request: { query: ResolveAlertDocument, variables: { id: '2' } },
        result: {
          errors: [
            { message: 'Alert 2 was not found', extensions: { code: 'NOT_FOUND', requestId: 'req-9' } },
          ],
        },
      },
    ]);
    await screen.findByText('Alert 1');
    const first = () => within(rowOf('Alert 1'));
    expect(first().getByText('Open')).toBeTruthy();
    // The buttons are described by the alert's title, so a screen reader knows which alert they act on.
    const acknowledge = first().getByRole('button', { name: 'Acknowledge' });
    expect(acknowledge.getAttribute('aria-describedby')).toBe(first().getByText('Alert 1').id);
    fireEvent.click(acknowledge);
    await first().findByText('Acknowledged');
    expect(first().queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(rowOf('Alert 1').textContent).toContain('acknowledged');

    fireEvent.click(first().getByRole('button', { name: 'Resolve' }));
    await first().findByText('Resolved');
    expect(first().queryByRole('button')).toBeNull();

    fireEvent.click(within(rowOf('Gone already')).getByRole('button', { name: 'Resolve' }));
    const refusal = await within(rowOf('Gone already')).findByRole('alert');
    expect(refusal.textContent).toContain('Alert 2 was not found');
    expect(refusal.textContent).toContain('req-9');
    expect(within(rowOf('Gone already')).getByText('Open')).toBeTruthy();
  });

  it('refuses a time range that ends before it starts without asking the server', async () => {
    renderPanel([page({}, [])]);
    await screen.findByText('No alerts. All quiet in the hive.');
    fireEvent.change(screen.getByLabelText('Raised since'), { target: { value: '2026-11-30T10:00' } });
    fireEvent.change(screen.getByLabelText('Raised before'), { target: { value: '2026-11-30T09:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The time range ends before it starts.');
  });
});
