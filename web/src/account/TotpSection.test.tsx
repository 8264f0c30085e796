// Enrolling an authenticator app: the otpauth URI as a QR code (loaded on demand) with the secret to type
// instead, a first code checked before it is sent, then the ten recovery codes shown once with copy and
// download; turning the app off needs a current code.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { createCache } from '../app/apollo';
import {
  ConfirmTotpEnrollmentDocument,
  DisableTotpDocument,
  SecondFactorDocument,
  StartTotpEnrollmentDocument,
} from './documents';
import { TotpSection } from './TotpSection';

const status = (totpEnrolled: boolean, recoveryCodesLeft = 0) => ({
  request: { query: SecondFactorDocument },
  result: {
    data: {
      secondFactor: { __typename: 'SecondFactorStatus', totpEnrolled, recoveryCodesLeft, passkeyCount: 0 },
    },
  },
});
const codes = Array.from({ length: 10 }, (_, i) => `abcd-efgh-ijkl-mn${String(i).padStart(2, '0')}`);

describe('TotpSection', () => {
  it('enrols with the QR code and a first code, then shows the recovery codes once', async () => {
    const writeText = jest.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const confirm = jest.fn(() => ({
      data: { confirmTotpEnrollment: { __typename: 'RecoveryCodes', codes } },
    }));
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          status(false),
          {
            request: { query: StartTotpEnrollmentDocument },
            result: {
              data: {
                startTotpEnrollment: {
                  __typename: 'TotpEnrollment',
                  secret: 'JBSWY3DPEHPK3PXP',
                  otpauthUri: 'otpauth://totp/STING:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=STING',
                },
              },
            },
          },
          {
            request: { query: ConfirmTotpEnrollmentDocument, variables: { code: '123456' } },
            result: confirm,
          },
          status(true, 10),
        ]}
      >
        <TotpSection />
      </MockedProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Set up an authenticator app' }));
    await screen.findByRole('img', { name: 'QR code of your authenticator app set-up' });
    expect(screen.getByText('JBSWY3DPEHPK3PXP')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Code from the app'), { target: { value: 'abcdef' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    expect((await screen.findByRole('alert')).textContent).toContain('6 digits');
    expect(confirm).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Code from the app'), { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on' }));

    const panel = await screen.findByRole('region', { name: 'Recovery codes' });
    expect(
      within(panel)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(codes);
    fireEvent.click(within(panel).getByRole('button', { name: 'Copy codes' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(codes.join('\n') + '\n'));
    fireEvent.click(within(panel).getByRole('button', { name: 'I have saved them' }));
    await screen.findByText(/10 recovery codes left/);
    expect(screen.queryByText(codes[0]!)).toBeNull();
  });

  it('turns the app off only with a current code', async () => {
    const disable = jest.fn(() => ({ data: { disableTotp: true } }));
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          status(true, 3),
          { request: { query: DisableTotpDocument, variables: { code: '654321' } }, result: disable },
          status(false),
        ]}
      >
        <TotpSection />
      </MockedProvider>,
    );
    await screen.findByText(/3 recovery codes left/);
    fireEvent.click(screen.getByRole('button', { name: 'Turn off…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Turn off the authenticator app' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Enter the code');
    fireEvent.change(screen.getByLabelText('Code from the app'), { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn off the authenticator app' }));
    await screen.findByRole('button', { name: 'Set up an authenticator app' });
    expect(disable).toHaveBeenCalledTimes(1);
  });
});
