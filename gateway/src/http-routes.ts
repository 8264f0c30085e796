// Plain HTTP routes served through the pipeline's stages (pipeline/stages.ts explains what each route gets). A
// feature adds one line below: its module exports an `HttpRouteFactory`.
import type { Logger } from 'pino';
import type { Federation } from './federation.ts';
import type { HttpRoute } from './pipeline/http-route.ts';
import type { GatewaySettings } from './settings.ts';
import { beeChatRoute } from './bee/chat-route.ts';
import { healthReportDownloadRoute } from './beeacon/health-report-download.ts';
import { documentFileRoutes } from './uploads/document-files.ts';
import { uploadRoutes } from './uploads/upload-routes.ts';

export interface HttpRouteDeps {
  settings: Pick<GatewaySettings, 'profile' | 'gateway'>;
  federation: Federation;
  logger: Logger;
}

export type HttpRouteFactory = (deps: HttpRouteDeps) => HttpRoute | readonly HttpRoute[];

export const HTTP_ROUTES: readonly HttpRouteFactory[] = [
  uploadRoutes,
  documentFileRoutes,
  beeChatRoute,
  healthReportDownloadRoute,
];

export function buildHttpRoutes(factories: readonly HttpRouteFactory[], deps: HttpRouteDeps): HttpRoute[] {
  return factories.flatMap((factory) => factory(deps));
}
