// @sting/schema: supergraph composition shared by the compose script, its tests and the gateway's tooling.
export * from './supergraph.ts';
