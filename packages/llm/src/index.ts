// Model providers: embedders (turn text into vectors) and chat models (stream Bee's answers).
export * from './embeddings/index.ts';
export * from './chat/index.ts';
