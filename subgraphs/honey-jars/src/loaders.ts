// The honey-jars subgraph's per-request DataLoaders: each batch of references or nested lists is one query.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '@sting/kit';
import type { Document } from './entities/document.ts';
import type { HoneyJar } from './entities/honey-jar.ts';
import { findReadableJars } from './domain/access.ts';
import { documentsOfJars, findDocuments } from './domain/documents.ts';

export interface HoneyJarLoaders {
  /** Needs the viewer, which arrives with the context rather than at construction: see `readableJarLoader`. */
  readableJar(viewer: Viewer | null): DataLoader<string, HoneyJar | null>;
  documentsOfJar: DataLoader<string, Document[]>;
  documentById: DataLoader<string, Document | null>;
}

export function createLoaders(em: EntityManager): HoneyJarLoaders {
  // One loader per viewer object; a request has a single viewer, so this is one loader per request.
  const readable = new WeakMap<object, DataLoader<string, HoneyJar | null>>();
  const anonymous = new DataLoader<string, HoneyJar | null>(async (ids) => ids.map(() => null));
  return {
    readableJar(viewer) {
      if (viewer === null) return anonymous;
      let loader = readable.get(viewer);
      if (!loader)
        readable.set(viewer, (loader = new DataLoader((ids) => findReadableJars({ em, viewer }, ids))));
      return loader;
    },
    documentsOfJar: new DataLoader((ids) => documentsOfJars(em, ids)),
    documentById: new DataLoader((ids) => findDocuments(em, ids)),
  };
}
