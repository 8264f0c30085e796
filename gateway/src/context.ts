// What the gateway knows about one request once its session is resolved; data sources sign it per fetch.
import type { Viewer } from '@sting/kit';

export interface GatewayContext {
  viewer: Viewer | null;
  requestId: string;
}
