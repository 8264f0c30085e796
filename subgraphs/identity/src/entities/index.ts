// Every entity the identity subgraph persists (schema `identity`).
import { Session } from './session.ts';
import { User } from './user.ts';

export { Session, User };
export const entities = [User, Session];
