// @sting/gateway: the federated gateway and the platform entry that hosts it.
export { startPlatform, type PlatformServices, type PlatformOptions, type RunningPlatform } from './main.ts';
export { startGateway, type GatewayOptions, type RunningGateway } from './gateway.ts';
export type { GatewayContext } from './context.ts';
export type { Operation, OperationResult, OperationRunner } from './operation-runner.ts';
export type { GatewaySettings } from './settings.ts';
export { AssertionSigner } from './identity/assertion-signer.ts';
export { embeddedEndpoint } from './topology/embedded.ts';
export { remoteEndpoint } from './topology/distributed.ts';
export type { FetchObserver, SubgraphEndpoint } from './topology/endpoint.ts';
export {
  loadSubgraphModule,
  loadSubgraphModules,
  startSubgraphRuntime,
} from './topology/subgraph-modules.ts';
