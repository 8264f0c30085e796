// A sensitive operation the server answers STEP_UP_REQUIRED is not lost: the dialog asks for an authenticator
// code (or a passkey of the same person), verifies it, and runs the operation again; cancelling fails it with
// the server's own message.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useState } from 'react';
import { MemoryRouter } from 'react-router';
import { describeError } from '../ui/ErrorNotice';
import { MeDocument, RequireSignIn } from './session';
import { FinishPasskeySignInDocument, StartPasskeySignInDocument } from './SignIn';
import { StepUpProvider, useStepUp, VerifySecondFactorDocument } from './step-up';

const stepUpError = () =>
  new CombinedGraphQLErrors({
    errors: [{ message: 'Confirm with your second factor first', extensions: { code: 'STEP_UP_REQUIRED' } }],
  });

function Sensitive({ operation }: { operation: () => Promise<string> }) {
  const stepUp = useStepUp();
  const [outcome, setOutcome] = useState('');
  return (
    <>
      <button
        type="button"
        onClick={() =>
          stepUp(operation).then(
            (value) => setOutcome(`done: ${value}`),
            (error: unknown) => setOutcome(`failed: ${describeError(error).message}`),
          )
        }
      >
        Change role
      </button>
      <output>{outcome}</output>
    </>
  );
}

function renderWith(operation: () => Promise<string>, mocks: any[]) {
  return render(
    <MockedProvider mocks={mocks}>
      <StepUpProvider>
        <Sensitive operation={operation} />
      </StepUpProvider>
    </MockedProvider>,
  );
}

describe('step-up', () => {
  it('asks for a code, verifies it and runs the operation again', async () => {
    const operation = jest
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(stepUpError())
      .mockResolvedValueOnce('role changed');
    renderWith(operation, [
      {
        request: { query: VerifySecondFactorDocument, variables: { code: '654321' } },
        result: { data: { verifySecondFactor: true } },
      },
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Change role' }));
    const dialog = await screen.findByRole('dialog', { name: 'Confirm with your authenticator code' });
    fireEvent.change(screen.getByLabelText('Authenticator code'), { target: { value: '65432' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect((await screen.findByRole('alert')).textContent).toContain('6 digits');
    fireEvent.change(screen.getByLabelText('Authenticator code'), { target: { value: '654 321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('done: role changed'));
    expect(operation).toHaveBeenCalledTimes(2);
    expect(dialog.hasAttribute('open')).toBe(false);
  });

  it('fails the operation with the server message when the dialog is cancelled', async () => {
    const operation = jest.fn<() => Promise<string>>().mockRejectedValue(stepUpError());
    renderWith(operation, []);
    fireEvent.click(screen.getByRole('button', { name: 'Change role' }));
    await screen.findByRole('dialog');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('failed: Confirm with your second factor first'),
    );
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('passes other errors straight through without asking', async () => {
    const forbidden = new CombinedGraphQLErrors({
      errors: [{ message: 'Not allowed', extensions: { code: 'FORBIDDEN' } }],
    });
    renderWith(jest.fn<() => Promise<string>>().mockRejectedValue(forbidden), []);
    fireEvent.click(screen.getByRole('button', { name: 'Change role' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('failed: Not allowed'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('step-up with a passkey', () => {
  it("signs in again with the person's own passkey, then runs the operation again", async () => {
    const me = {
      __typename: 'User',
      id: 'u-1',
      email: 'ada@example.com',
      displayName: 'Ada',
      role: 'ADMIN',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    const bytes = (...values: number[]) => new Uint8Array(values).buffer;
    (window as any).PublicKeyCredential = function PublicKeyCredential() {};
    Object.defineProperty(navigator, 'credentials', {
      configurable: true,
      value: {
        get: jest.fn(async () => ({
          id: 'AQID',
          rawId: bytes(1, 2, 3),
          type: 'public-key',
          response: {
            clientDataJSON: bytes(123, 125),
            authenticatorData: bytes(9),
            signature: bytes(8),
            userHandle: bytes(117),
          },
          getClientExtensionResults: () => ({}),
        })),
      },
    });
    const operation = jest
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(stepUpError())
      .mockResolvedValueOnce('key created');
    const finish = jest.fn(() => ({
      data: {
        finishPasskeySignIn: { __typename: 'Session', token: 't', expiresAt: '2026-12-01T00:00:00.000Z' },
      },
    }));
    render(
      <MockedProvider
        mocks={[
          { request: { query: MeDocument }, result: { data: { me } } },
          {
            // Only this person's passkeys are offered.
            request: { query: StartPasskeySignInDocument, variables: { email: 'ada@example.com' } },
            result: {
              data: {
                startPasskeySignIn: {
                  __typename: 'PasskeyChallenge',
                  challengeId: 'ch-9',
                  optionsJson: JSON.stringify({ challenge: 'q83v', allowCredentials: [] }),
                },
              },
            },
          },
          {
            request: { query: FinishPasskeySignInDocument, variables: (v: any) => v.challengeId === 'ch-9' },
            result: finish,
          },
        ]}
      >
        <MemoryRouter>
          <RequireSignIn>
            <StepUpProvider>
              <Sensitive operation={operation} />
            </StepUpProvider>
          </RequireSignIn>
        </MemoryRouter>
      </MockedProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Change role' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use a passkey instead' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('done: key created'), {
      timeout: 5000,
    });
    expect(finish).toHaveBeenCalledTimes(1);
    delete (window as any).PublicKeyCredential;
  });
});
