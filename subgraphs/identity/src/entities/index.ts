// Every entity the identity subgraph persists (schema `identity`).
import { ApiKey } from './api-key.ts';
import { PasswordReset } from './password-reset.ts';
import { Session } from './session.ts';
import { User } from './user.ts';

export { ApiKey, PasswordReset, Session, User };
export const entities = [User, Session, PasswordReset, ApiKey];
