// A sensitive operation the server answers STEP_UP_REQUIRED is not lost: the dialog asks for an authenticator
// code, verifies it, and runs the operation again; cancelling fails it with the server's own message.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useState } from 'react';
import { describeError } from '../ui/ErrorNotice';
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
