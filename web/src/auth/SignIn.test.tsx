// Signing in: the return path stays inside the app; people enrolled in TOTP get a second step asking for a code
// (its field focused, the code checked before it is sent); a passkey signs in through the browser's WebAuthn API
// with the server's options. Only a session the app saw end is mentioned: a first visit just signs in.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { GraphQLError } from 'graphql';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { useApolloClient } from '@apollo/client/react';
import { createCache } from '../app/apollo';
import { MeDocument, RequireSignIn } from './session';
import {
  FinishPasskeySignInDocument,
  LoginDocument,
  safeReturnPath,
  SignIn,
  StartPasskeySignInDocument,
} from './SignIn';

describe('safeReturnPath', () => {
  it('keeps paths inside the app', () => {
    expect(safeReturnPath('/beeacon')).toBe('/beeacon');
    expect(safeReturnPath('/jars/123?tab=docs')).toBe('/jars/123?tab=docs');
  });

  it('refuses anything that leaves the origin, and falls back to the jar list', () => {
    for (const from of [
      null,
      '',
      'https://evil.example',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ])
      expect(safeReturnPath(from)).toBe('/jars');
  });
});

const session = { __typename: 'Session', token: 'not-kept', expiresAt: '2026-12-01T00:00:00.000Z' };
const credentials = { email: 'ada@example.com', password: 'ada-likes-honey-42' };

/** The sign-in page and the account page it comes back to, starting at `entry`. */
function renderRoutes(mocks: any[], entry: string, account: ReactNode) {
  return render(
    <MockedProvider cache={createCache()} mocks={mocks}>
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route path="/sign-in" element={<SignIn />} />
          <Route path="/account" element={account} />
        </Routes>
      </MemoryRouter>
    </MockedProvider>,
  );
}

const renderSignIn = (mocks: any[]) => renderRoutes(mocks, '/sign-in?from=%2Faccount', <h1>Account page</h1>);

function typePassword() {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: credentials.email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: credentials.password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignIn', () => {
  afterEach(() => {
    delete (window as any).PublicKeyCredential;
  });

  it('asks for a second factor when the server wants one, and signs in with the code', async () => {
    const login = jest.fn(() => ({ data: { login: session } }));
    renderSignIn([
      {
        request: { query: LoginDocument, variables: credentials },
        result: {
          errors: [
            new GraphQLError('Enter the code from your authenticator app', {
              extensions: { code: 'SECOND_FACTOR_REQUIRED' },
            }),
          ],
        },
      },
      {
        request: { query: LoginDocument, variables: { ...credentials, secondFactor: '123456' } },
        result: login,
      },
    ]);
    typePassword();
    const code = await screen.findByLabelText('Authentication code');
    expect(document.activeElement).toBe(code);
    // Not a code at all: refused before anything is sent.
    fireEvent.change(code, { target: { value: '12 34' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect((await screen.findByRole('alert')).textContent).toContain('6 digits');
    expect(login).not.toHaveBeenCalled();
    // Authenticator apps show "123 456": the space is dropped.
    fireEvent.change(code, { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByRole('heading', { name: 'Account page' });
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('shows the server message for a wrong code and stays on the code step', async () => {
    renderSignIn([
      {
        request: { query: LoginDocument, variables: credentials },
        result: {
          errors: [new GraphQLError('Code needed', { extensions: { code: 'SECOND_FACTOR_REQUIRED' } })],
        },
      },
      {
        request: { query: LoginDocument, variables: { ...credentials, secondFactor: 'recovery-abcd-1234' } },
        result: {
          errors: [
            new GraphQLError('That code is not valid', {
              extensions: { code: 'SECOND_FACTOR_REQUIRED', requestId: 'r-9' },
            }),
          ],
        },
      },
    ]);
    typePassword();
    fireEvent.change(await screen.findByLabelText('Authentication code'), {
      target: { value: ' recovery-abcd-1234 ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect((await screen.findByRole('alert')).textContent).toBe('That code is not valid Request id: r-9');
    expect(screen.getByLabelText('Authentication code')).toBeTruthy();
  });

  it('signs in with a passkey: the options go to the authenticator, its answer back as base64url JSON', async () => {
    const bytes = (...values: number[]) => new Uint8Array(values).buffer;
    const get = jest.fn(async (_options: any) => ({
      id: 'AQID',
      rawId: bytes(1, 2, 3),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: bytes(123, 125),
        authenticatorData: bytes(9, 9),
        signature: bytes(255, 254),
        userHandle: bytes(117),
      },
      getClientExtensionResults: () => ({}),
    }));
    (window as any).PublicKeyCredential = function PublicKeyCredential() {};
    Object.defineProperty(navigator, 'credentials', { value: { get }, configurable: true });
    const options = {
      challenge: 'q83v',
      rpId: 'localhost',
      allowCredentials: [],
      userVerification: 'preferred',
    };
    const finish = jest.fn((variables: any) => {
      const response = JSON.parse(variables.response);
      expect(response).toMatchObject({
        id: 'AQID',
        rawId: 'AQID',
        type: 'public-key',
        response: { clientDataJSON: 'e30', authenticatorData: 'CQk', signature: '__4', userHandle: 'dQ' },
      });
      return { data: { finishPasskeySignIn: session } };
    });
    renderSignIn([
      {
        request: { query: StartPasskeySignInDocument, variables: { email: null } },
        result: {
          data: {
            startPasskeySignIn: {
              __typename: 'PasskeyChallenge',
              challengeId: 'ch-1',
              optionsJson: JSON.stringify(options),
            },
          },
        },
      },
      {
        request: {
          query: FinishPasskeySignInDocument,
          variables: (variables: any) => variables.challengeId === 'ch-1',
        },
        result: finish,
      },
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Use a passkey' }));
    // The WebAuthn helper module loads on first use, which takes a moment on a busy machine.
    await screen.findByRole('heading', { name: 'Account page' }, { timeout: 5000 });
    expect(finish).toHaveBeenCalledTimes(1);
    const publicKey = get.mock.calls[0]![0].publicKey;
    // The challenge went to the authenticator as bytes: "q83v" is base64url for ab cd ef.
    expect([...new Uint8Array(publicKey.challenge)]).toEqual([0xab, 0xcd, 0xef]);
  });

  it('says so plainly when the passkey prompt is dismissed', async () => {
    (window as any).PublicKeyCredential = function PublicKeyCredential() {};
    const dismissed = Object.assign(new Error('The operation either timed out or was not allowed.'), {
      name: 'NotAllowedError',
    });
    Object.defineProperty(navigator, 'credentials', {
      value: { get: jest.fn(async () => Promise.reject(dismissed)) },
      configurable: true,
    });
    renderSignIn([
      {
        request: { query: StartPasskeySignInDocument, variables: { email: 'ada@example.com' } },
        result: {
          data: {
            startPasskeySignIn: {
              __typename: 'PasskeyChallenge',
              challengeId: 'ch-2',
              optionsJson: JSON.stringify({ challenge: 'q83v', allowCredentials: [] }),
            },
          },
        },
      },
    ]);
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: ' ada@example.com ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/cancelled or timed out/), {
      timeout: 5000,
    });
  });
});

const ended = /Your session ended/;

/** A signed-in page with a way to ask the server again who is signed in. */
function AccountPage() {
  const client = useApolloClient();
  return (
    <>
      <h1>Account page</h1>
      <button type="button" onClick={() => void client.refetchQueries({ include: [MeDocument] })}>
        Check the session
      </button>
    </>
  );
}

const renderSignedInPage = (mocks: any[]) =>
  renderRoutes(
    mocks,
    '/account',
    <RequireSignIn>
      <AccountPage />
    </RequireSignIn>,
  );

describe('the session ended notice', () => {
  const ada = {
    __typename: 'User',
    id: 'u-1',
    email: credentials.email,
    displayName: 'Ada',
    role: 'MEMBER',
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  it('is not shown on a first visit, which still comes back to the page asked for', async () => {
    renderSignedInPage([
      { request: { query: MeDocument }, result: { data: { me: null } } },
      { request: { query: LoginDocument, variables: credentials }, result: { data: { login: session } } },
      { request: { query: MeDocument }, result: { data: { me: ada } } },
    ]);
    await screen.findByRole('heading', { name: 'Sign in to STING' });
    expect(screen.queryByText(ended)).toBeNull();
    typePassword();
    await screen.findByRole('heading', { name: 'Account page' });
  });

  it('is shown when a session the page saw has ended', async () => {
    renderSignedInPage([
      { request: { query: MeDocument }, result: { data: { me: ada } } },
      { request: { query: MeDocument }, result: { data: { me: null } } },
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Check the session' }));
    await screen.findByRole('heading', { name: 'Sign in to STING' });
    expect(screen.getByText(ended)).toBeTruthy();
  });
});
