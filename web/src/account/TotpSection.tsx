// Two-step sign-in with an authenticator app (TOTP): enrol by scanning the otpauth URI as a QR code (or typing
// the secret), confirm with a first code, then keep the recovery codes. Enrolled people can make new recovery
// codes or turn the app off (with a current code).
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { codeProblem, normalizeCode } from '../auth/second-factor-code';
import { useStepUp } from '../auth/step-up';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/states';
import {
  ConfirmTotpEnrollmentDocument,
  DisableTotpDocument,
  RegenerateRecoveryCodesDocument,
  SecondFactorDocument,
  StartTotpEnrollmentDocument,
} from './documents';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import { counted } from '../ui/counted';

const QrCode = lazy(() => import('./QrCode'));

export function TotpSection() {
  const status = useQuery(SecondFactorDocument);
  const refetchQueries = [{ query: SecondFactorDocument }];
  const [start, started] = useMutation(StartTotpEnrollmentDocument);
  const [confirm, confirmed] = useMutation(ConfirmTotpEnrollmentDocument, { refetchQueries });
  const [disable, disabled] = useMutation(DisableTotpDocument, { refetchQueries });
  const [regenerate, regenerated] = useMutation(RegenerateRecoveryCodesDocument, { refetchQueries });
  const stepUp = useStepUp();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [codes, setCodes] = useState<readonly string[] | null>(null);
  const [turningOff, setTurningOff] = useState(false);
  const enrollment = started.data?.startTotpEnrollment;
  const factor = status.data?.secondFactor;

  function checked(): string | null {
    const invalid = codeProblem(code, { allowRecovery: false });
    setProblem(invalid);
    return invalid ? null : normalizeCode(code);
  }

  async function submitConfirm(event: FormEvent) {
    event.preventDefault();
    const valid = checked();
    if (!valid) return;
    const result = await confirm({ variables: { code: valid } }).catch(() => null);
    if (result?.data) {
      setCodes(result.data.confirmTotpEnrollment.codes);
      setCode('');
      started.reset();
    }
  }

  async function submitDisable(event: FormEvent) {
    event.preventDefault();
    const valid = checked();
    if (!valid) return;
    const result = await disable({ variables: { code: valid } }).catch(() => null);
    if (result?.data?.disableTotp) {
      setTurningOff(false);
      setCode('');
    }
  }

  const codeField = (
    <label>
      Code from the app
      <input
        autoComplete="one-time-code"
        spellCheck={false}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
    </label>
  );

  return (
    <section className="card" aria-labelledby="totp-title">
      <h2 id="totp-title">Authenticator app</h2>
      {status.loading && !status.data && <Loading label="Loading your second factor" />}
      {status.error && <ErrorNotice error={status.error} />}
      {codes ? (
        <RecoveryCodesPanel codes={codes} onDone={() => setCodes(null)} />
      ) : factor?.totpEnrolled ? (
        <div className="stack">
          <p>
            <Badge tone="good">On</Badge> Signing in asks for a code from your app.{' '}
            {counted(factor.recoveryCodesLeft, 'recovery code')} left.
          </p>
          {regenerated.error && <ErrorNotice error={regenerated.error} />}
          {turningOff ? (
            <form onSubmit={submitDisable} className="stack" noValidate>
              {codeField}
              {problem && <ErrorNotice error={new Error(problem)} />}
              {disabled.error && <ErrorNotice error={disabled.error} />}
              <div className="actions">
                <button type="button" onClick={() => setTurningOff(false)}>
                  Cancel
                </button>
                <button type="submit" className="danger" disabled={disabled.loading}>
                  Turn off the authenticator app
                </button>
              </div>
            </form>
          ) : (
            <div className="actions">
              <button
                type="button"
                disabled={regenerated.loading}
                onClick={async () => {
                  // New codes need a fresh second factor: the step-up dialog asks for one when needed.
                  const result = await stepUp(() => regenerate()).catch(() => null);
                  if (result?.data) setCodes(result.data.regenerateRecoveryCodes.codes);
                }}
              >
                New recovery codes
              </button>
              <button type="button" onClick={() => setTurningOff(true)}>
                Turn off…
              </button>
            </div>
          )}
        </div>
      ) : enrollment ? (
        <form onSubmit={submitConfirm} className="stack" noValidate>
          <p>Scan this code with your authenticator app, then enter the 6-digit code it shows.</p>
          <Suspense fallback={<Loading label="Drawing the QR code" />}>
            <QrCode text={enrollment.otpauthUri} label="QR code of your authenticator app set-up" />
          </Suspense>
          <details>
            <summary>Cannot scan? Type this key instead</summary>
            <code className="secret">{enrollment.secret}</code>
          </details>
          {codeField}
          {problem && <ErrorNotice error={new Error(problem)} />}
          {confirmed.error && <ErrorNotice error={confirmed.error} />}
          <div className="actions">
            <button type="button" onClick={() => started.reset()}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={confirmed.loading}>
              Turn on
            </button>
          </div>
        </form>
      ) : (
        factor && (
          <div className="stack">
            <p>
              <Badge>Off</Badge> Add a code from an authenticator app to your password when you sign in.
            </p>
            {started.error && <ErrorNotice error={started.error} />}
            <div className="actions">
              <button
                type="button"
                className="primary"
                disabled={started.loading}
                onClick={() => void stepUp(() => start()).catch(() => undefined)}
              >
                Set up an authenticator app
              </button>
            </div>
          </div>
        )
      )}
    </section>
  );
}
