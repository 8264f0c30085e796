// The reset-password page takes the token from the link's fragment (and clears it from the address), checks
// the new password before sending it, and says plainly when the link carries no token.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { MemoryRouter } from 'react-router';
import { ResetPassword, ResetPasswordDocument } from './ResetPassword';

function renderAt(hash: string, mocks: any[] = []) {
  window.history.replaceState(null, '', `/reset-password${hash}`);
  return render(
    <MockedProvider mocks={mocks}>
      <MemoryRouter>
        <ResetPassword />
      </MemoryRouter>
    </MockedProvider>,
  );
}

describe('ResetPassword', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('sets the new password with the token from the fragment', async () => {
    const reset = jest.fn(() => ({ data: { resetPassword: true } }));
    renderAt('#token=tok-123', [
      {
        request: {
          query: ResetPasswordDocument,
          variables: { token: 'tok-123', newPassword: 'a long new password' },
        },
        result: reset,
      },
    ]);
    // The token is out of the address bar at once.
    expect(window.location.hash).toBe('');
    // The rules are said beside the field, before anything is typed.
    expect(screen.getByLabelText('New password').getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText(/At least 12 characters/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'too short' } });
    fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: 'too short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set password' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/at least 12/);
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'a long new password' } });
    fireEvent.change(screen.getByLabelText('Repeat the new password'), {
      target: { value: 'a long new passwor' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Set password' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The two new passwords differ.');
    fireEvent.change(screen.getByLabelText('Repeat the new password'), {
      target: { value: 'a long new password' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Set password' }));
    await screen.findByText(/Your password is set/);
    // The person learns what the reset took with it: their sessions, and their API keys.
    expect(screen.getByRole('status').textContent).toMatch(/signed out and every API key revoked/);
    expect(reset).toHaveBeenCalledTimes(1);
  });

  it('says so when the link has no token', () => {
    renderAt('');
    expect(screen.getByRole('alert').textContent).toMatch(/no reset token/);
    expect(screen.queryByLabelText('New password')).toBeNull();
  });
});
