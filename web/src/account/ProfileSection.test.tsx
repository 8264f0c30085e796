// The display name: refused when empty before anything is sent, saved trimmed, and the new name shows at once
// wherever the signed-in person is named (the cached `me`).
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { MemoryRouter } from 'react-router';
import { createCache } from '../app/apollo';
import { MeDocument, RequireSignIn, useViewer } from '../auth/session';
import { UpdateProfileDocument } from './documents';
import { ProfileSection } from './ProfileSection';

const me = {
  __typename: 'User',
  id: 'u-1',
  email: 'ada@example.com',
  displayName: 'Ada',
  role: 'MEMBER',
  createdAt: '2026-01-01T00:00:00.000Z',
};

function Greeting() {
  return <p data-testid="who">{useViewer().displayName}</p>;
}

describe('ProfileSection', () => {
  it('checks and saves the display name, and the app shows the new one', async () => {
    const update = jest.fn(() => ({
      data: { updateProfile: { __typename: 'User', id: 'u-1', displayName: 'Ada Lovelace' } },
    }));
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          { request: { query: MeDocument }, result: { data: { me } } },
          {
            request: { query: UpdateProfileDocument, variables: { input: { displayName: 'Ada Lovelace' } } },
            result: update,
          },
        ]}
      >
        <MemoryRouter>
          <RequireSignIn>
            <Greeting />
            <ProfileSection />
          </RequireSignIn>
        </MemoryRouter>
      </MockedProvider>,
    );
    const name = await screen.findByLabelText('Display name');
    fireEvent.change(name, { target: { value: '   ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Enter a display name.');
    expect(update).not.toHaveBeenCalled();
    fireEvent.change(name, { target: { value: '  Ada Lovelace ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
    await screen.findByText('Saved.');
    expect(screen.getByTestId('who').textContent).toBe('Ada Lovelace');
  });
});
