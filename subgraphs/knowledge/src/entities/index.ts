// Every entity the knowledge subgraph persists (schema `knowledge`).
import { Chunk } from './chunk.ts';
import { JarAccess, JarAccessMember } from './jar-access.ts';
import { VectorIndex } from './vector-index.ts';

export { Chunk, JarAccess, JarAccessMember, VectorIndex };
export const entities = [Chunk, JarAccess, JarAccessMember, VectorIndex];
