// Which Chroma collection holds a jar's vectors, made by which embedding model. A jar has one READY collection
// that search uses; while a new model re-indexes the jar its new collection is BUILDING beside it. The one it
// replaces is RETIRED for a few seconds, until no search still reading it can be running, then dropped.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const VectorIndexStates = ['BUILDING', 'READY', 'RETIRED'] as const;
export type VectorIndexState = (typeof VectorIndexStates)[number];

export const VectorIndex = defineEntity({
  name: 'VectorIndex',
  tableName: 'vector_index',
  properties: {
    collection: p.string().length(63).primary(),
    honeyJarId: p.uuid().index(),
    provider: p.string().length(40),
    model: p.string().length(200),
    dimension: p.integer(),
    state: p.enum(VectorIndexStates),
    /** Its vectors are mirrored in the model's shared collection too (see domain/search/vectors.ts). */
    shared: p.boolean().default(false),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    /** When it stopped serving (RETIRED). */
    retiredAt: p.datetime(3).nullable(),
  },
});

export type VectorIndex = InferEntity<typeof VectorIndex>;
