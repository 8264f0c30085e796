// Every entity the knowledge subgraph persists (schema `knowledge`).
import { Chunk } from './chunk.ts';

export { Chunk };
export const entities = [Chunk];
