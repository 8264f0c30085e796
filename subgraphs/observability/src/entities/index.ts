// Every entity the observability subgraph persists (schema `observability`).
export * from './alert.ts';
