// The identity subgraph's per-request DataLoaders: one SQL query per batch of User references.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from './entities/user.ts';
import { findUsersByIds } from './domain/users.ts';

export interface IdentityLoaders {
  userById: DataLoader<string, User | null>;
}

export function createLoaders(em: EntityManager): IdentityLoaders {
  return { userById: new DataLoader((ids) => findUsersByIds(em, ids)) };
}
