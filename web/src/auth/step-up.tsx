// Sensitive operations (changing roles, deleting people, admin-scoped API keys) answer STEP_UP_REQUIRED unless
// this session proved a second factor in the last minutes. `useStepUp()` wraps such an operation: on that answer
// it asks for an authenticator code (verifySecondFactor) in a small dialog, or a passkey of the same person (a
// passkey sign-in, whose fresh session then carries on), and runs the operation again.
import {
  createContext,
  useCallback,
  useContext,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../gql';
import { describeError, ErrorNotice } from '../ui/ErrorNotice';
import { Modal } from '../ui/Modal';
import { passkeysSupported } from './passkeys';
import { codeProblem, normalizeCode } from './second-factor-code';
import { useOptionalViewer } from './session';
import { usePasskeySignIn } from './SignIn';

export const VerifySecondFactorDocument = graphql(`
  mutation VerifySecondFactor($code: String!) {
    verifySecondFactor(code: $code)
  }
`);

export type StepUp = <T>(operation: () => Promise<T>) => Promise<T>;

const StepUpContext = createContext<StepUp | null>(null);

interface Pending {
  error: unknown;
  resolve(): void;
  reject(error: unknown): void;
}

export function StepUpProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const run = useCallback<StepUp>(async (operation) => {
    try {
      return await operation();
    } catch (error) {
      if (describeError(error).code !== 'STEP_UP_REQUIRED') throw error;
      // Cancelling the dialog fails the operation with the server's own STEP_UP_REQUIRED answer.
      await new Promise<void>((resolve, reject) => setPending({ error, resolve, reject }));
      return operation();
    }
  }, []);
  return (
    <StepUpContext.Provider value={run}>
      {children}
      <StepUpDialog
        open={pending !== null}
        onVerified={() => {
          pending?.resolve();
          setPending(null);
        }}
        onCancel={() => {
          pending?.reject(pending.error);
          setPending(null);
        }}
      />
    </StepUpContext.Provider>
  );
}

/** Runs an operation, asking for a second factor first when the server wants one. */
export function useStepUp(): StepUp {
  const run = useContext(StepUpContext);
  const direct = useRef<StepUp>((operation) => operation());
  return run ?? direct.current;
}

export function StepUpDialog({
  open,
  onVerified,
  onCancel,
}: {
  open: boolean;
  onVerified(): void;
  onCancel(): void;
}) {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [verify, { loading }] = useMutation(VerifySecondFactorDocument);
  const passkeySignIn = usePasskeySignIn();
  const [usingPasskey, setUsingPasskey] = useState(false);
  // Tied to this person: another account's passkey on the same device is refused, never a switch of account.
  const email = useOptionalViewer()?.email;

  async function confirmWithPasskey() {
    if (!email) return;
    setUsingPasskey(true);
    setProblem(null);
    try {
      await passkeySignIn(email);
      setCode('');
      onVerified();
    } catch (error) {
      setProblem(error);
    } finally {
      setUsingPasskey(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const invalid = codeProblem(code);
    if (invalid) return setProblem(new Error(invalid));
    try {
      const result = await verify({ variables: { code: normalizeCode(code) } });
      if (!result.data?.verifySecondFactor) return setProblem(new Error('That code is not valid.'));
      setCode('');
      setProblem(null);
      onVerified();
    } catch (error) {
      setProblem(error);
    }
  }

  const close = () => {
    setCode('');
    setProblem(null);
    onCancel();
  };

  return (
    <Modal open={open} title="Confirm with your authenticator code" onClose={close}>
      <form onSubmit={submit} noValidate className="stack">
        <p>
          This action needs a fresh second factor: the current code from your authenticator app or one of your
          recovery codes{email && passkeysSupported() ? ', or one of your passkeys' : ''}.
        </p>
        <label>
          Authenticator code
          <input
            autoComplete="one-time-code"
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        {problem !== null && <ErrorNotice error={problem} />}
        <div className="actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          {email && passkeysSupported() && (
            <button type="button" disabled={usingPasskey} onClick={() => void confirmWithPasskey()}>
              {usingPasskey ? 'Waiting for your passkey…' : 'Use a passkey instead'}
            </button>
          )}
          <button type="submit" className="primary" disabled={loading}>
            {loading ? 'Checking…' : 'Confirm'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
