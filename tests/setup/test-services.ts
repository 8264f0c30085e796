// Where global setup leaves the service URLs for test workers, and what the file holds.
import { fileURLToPath } from 'node:url';

export type TestServices = { DATABASE_URL: string; REDIS_URL: string; CHROMA_URL: string };

export const testServicesFile = fileURLToPath(new URL('../../.data/test-services.json', import.meta.url));
