// Every entity the knowledge subgraph persists (schema `knowledge`).
import { Chunk } from './chunk.ts';
import { Document } from './document.ts';
import { StagedUpload } from './staged-upload.ts';
import { JarAccess, JarAccessMember } from './jar-access.ts';
import { VectorIndex } from './vector-index.ts';

export { Chunk, Document, StagedUpload, JarAccess, JarAccessMember, VectorIndex };
export const entities = [Chunk, Document, StagedUpload, JarAccess, JarAccessMember, VectorIndex];
