// Passkeys on the account page: adding one hands the server's creation options to the authenticator and its
// attestation back as base64url JSON with the chosen name; renaming and removing (after a confirmation) work
// on the listed passkey.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { createCache } from '../app/apollo';
import {
  FinishPasskeyRegistrationDocument,
  PasskeysDocument,
  RemovePasskeyDocument,
  RenamePasskeyDocument,
  SecondFactorDocument,
  StartPasskeyRegistrationDocument,
} from './documents';
import { PasskeysSection } from './PasskeysSection';

const passkey = (name: string) => ({
  __typename: 'Passkey',
  id: 'p-1',
  name,
  createdAt: '2026-11-30T10:00:00.000Z',
  lastUsedAt: null,
  backedUp: false,
});
const listed = (...passkeys: unknown[]) => ({
  request: { query: PasskeysDocument },
  result: { data: { passkeys } },
});
const factor = {
  request: { query: SecondFactorDocument },
  result: {
    data: {
      secondFactor: {
        __typename: 'SecondFactorStatus',
        totpEnrolled: false,
        recoveryCodesLeft: 0,
        passkeyCount: 1,
      },
    },
  },
};

describe('PasskeysSection', () => {
  afterEach(() => {
    delete (window as any).PublicKeyCredential;
  });

  it('adds a passkey through the authenticator, then renames and removes it', async () => {
    const bytes = (...values: number[]) => new Uint8Array(values).buffer;
    const create = jest.fn(async (_options: any) => ({
      id: 'BAU',
      rawId: bytes(4, 5),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: bytes(123, 125),
        attestationObject: bytes(161, 0),
        getTransports: () => ['internal'],
      },
      getClientExtensionResults: () => ({}),
    }));
    (window as any).PublicKeyCredential = function PublicKeyCredential() {};
    Object.defineProperty(navigator, 'credentials', { value: { create }, configurable: true });
    const options = {
      challenge: 'q83v',
      rp: { id: 'localhost', name: 'STING' },
      user: { id: 'dQ', name: 'ada@example.com', displayName: 'Ada' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [],
    };
    const finish = jest.fn((variables: any) => {
      expect(variables.name).toBe('Laptop');
      expect(JSON.parse(variables.response)).toMatchObject({
        id: 'BAU',
        rawId: 'BAU',
        response: { clientDataJSON: 'e30', attestationObject: 'oQA', transports: ['internal'] },
      });
      return { data: { finishPasskeyRegistration: passkey('Laptop') } };
    });
    const rename = jest.fn(() => ({
      data: { renamePasskey: { __typename: 'Passkey', id: 'p-1', name: 'Work laptop' } },
    }));
    const remove = jest.fn(() => ({ data: { removePasskey: true } }));
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          listed(),
          {
            request: { query: StartPasskeyRegistrationDocument },
            result: { data: { startPasskeyRegistration: JSON.stringify(options) } },
          },
          { request: { query: FinishPasskeyRegistrationDocument, variables: () => true }, result: finish },
          listed(passkey('Laptop')),
          factor,
          {
            request: { query: RenamePasskeyDocument, variables: { id: 'p-1', name: 'Work laptop' } },
            result: rename,
          },
          { request: { query: RemovePasskeyDocument, variables: { id: 'p-1' } }, result: remove },
          listed(),
          factor,
        ]}
      >
        <PasskeysSection />
      </MockedProvider>,
    );
    await screen.findByText('No passkeys yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Add a passkey' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Give the passkey a name/);
    fireEvent.change(screen.getByLabelText('Passkey name'), { target: { value: ' Laptop ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a passkey' }));
    // The WebAuthn helper module loads on first use, which takes a moment on a busy machine.
    await screen.findByRole('cell', { name: 'Laptop' }, { timeout: 5000 });
    expect(finish).toHaveBeenCalledTimes(1);
    expect([...new Uint8Array(create.mock.calls[0]![0].publicKey.challenge)]).toEqual([0xab, 0xcd, 0xef]);

    fireEvent.click(screen.getByRole('button', { name: 'Rename Laptop' }));
    fireEvent.change(screen.getByLabelText('New name of Laptop'), { target: { value: 'Work laptop' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('cell', { name: 'Work laptop' });

    fireEvent.click(screen.getByRole('button', { name: 'Remove Work laptop' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove the passkey “Work laptop”?' });
    expect(remove).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove passkey' }));
    await screen.findByText('No passkeys yet.');
    expect(remove).toHaveBeenCalledTimes(1);
  });
});
