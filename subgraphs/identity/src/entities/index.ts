// Every entity the identity subgraph persists (schema `identity`).
import { ApiKey } from './api-key.ts';
import { Passkey } from './passkey.ts';
import { PasswordReset } from './password-reset.ts';
import { RecoveryCode } from './recovery-code.ts';
import { Session } from './session.ts';
import { TotpFactor } from './totp-factor.ts';
import { User } from './user.ts';
import { WebauthnChallenge } from './webauthn-challenge.ts';

export { ApiKey, Passkey, PasswordReset, RecoveryCode, Session, TotpFactor, User, WebauthnChallenge };
export const entities = [
  User,
  Session,
  PasswordReset,
  ApiKey,
  TotpFactor,
  RecoveryCode,
  Passkey,
  WebauthnChallenge,
];
