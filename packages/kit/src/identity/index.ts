// Identity assertions between the gateway and the subgraphs.
export * from './assertion.ts';
export * from './headers.ts';
export * from './keys.ts';
export * from './api-key-format.ts';
