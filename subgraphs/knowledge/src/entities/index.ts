// Every entity the knowledge subgraph persists (schema `knowledge`).
import { Chunk } from './chunk.ts';
import { Document } from './document.ts';
import { StagedUpload } from './staged-upload.ts';

export { Chunk, Document, StagedUpload };
export const entities = [Chunk, Document, StagedUpload];
