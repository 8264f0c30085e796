// The session list: each session's client as a person reads it, address and times, this session marked and
// not endable; ending one, and ending all the others after a confirmation, with the count said.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { createCache } from '../app/apollo';
import { EndOtherSessionsDocument, EndSessionDocument, MySessionsDocument } from './documents';
import { SessionsSection } from './SessionsSection';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36';

const session = (
  id: string,
  client: string | null,
  current: boolean,
  address: string | null = '10.0.0.7',
) => ({
  __typename: 'SessionInfo',
  id,
  createdAt: '2026-11-30T08:00:00.000Z',
  lastUsedAt: '2026-11-30T09:00:00.000Z',
  expiresAt: '2026-11-30T21:00:00.000Z',
  client,
  address,
  aal: current ? 'aal2' : 'aal1',
  current,
});
const listed = (...sessions: unknown[]) => ({
  request: { query: MySessionsDocument },
  result: { data: { mySessions: sessions } },
});

describe('SessionsSection', () => {
  it('lists sessions, ends one, then all the others after a confirmation', async () => {
    const endOne = jest.fn(() => ({ data: { endSession: true } }));
    const endOthers = jest.fn(() => ({ data: { endOtherSessions: 1 } }));
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          listed(
            session('s-1', FIREFOX, true),
            session('s-2', CHROME, false),
            session('s-3', null, false, null),
          ),
          { request: { query: EndSessionDocument, variables: { id: 's-2' } }, result: endOne },
          listed(session('s-1', FIREFOX, true), session('s-3', null, false, null)),
          { request: { query: EndOtherSessionsDocument }, result: endOthers },
          listed(session('s-1', FIREFOX, true)),
        ]}
      >
        <SessionsSection />
      </MockedProvider>,
    );
    const current = (await screen.findByText('Firefox on Linux')).closest('tr')!;
    expect(within(current).getByText('This session')).toBeTruthy();
    expect(within(current).queryByRole('button')).toBeNull();
    expect(screen.getByText('Chrome on macOS')).toBeTruthy();
    expect(screen.getByText('Unknown client').closest('tr')!.textContent).toContain('Unknown');

    fireEvent.click(screen.getByRole('button', { name: 'End the session of Chrome on macOS from 10.0.0.7' }));
    await waitFor(() => expect(screen.queryByText('Chrome on macOS')).toBeNull());
    expect(
      screen.getByRole('button', { name: 'End the session of Unknown client from an unknown address' }),
    ).toBeTruthy();
    expect(endOne).toHaveBeenCalledTimes(1);

    fireEvent.click(screen.getByRole('button', { name: 'End all other sessions' }));
    const dialog = await screen.findByRole('dialog', { name: 'End all other sessions?' });
    expect(endOthers).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'End other sessions' }));
    expect((await screen.findByText('1 other session ended.')).getAttribute('role')).toBe('status');
    await waitFor(() => expect(screen.queryByText('Unknown client')).toBeNull());
    expect(
      (screen.getByRole('button', { name: 'End all other sessions' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });
});
