// Where a Jest run keeps its private services (.data/test-runs/<pid>/) and leaves their URLs for test workers.
import { fileURLToPath } from 'node:url';

export type TestServices = { DATABASE_URL: string; REDIS_URL: string; CHROMA_URL: string };

export const testRunsDir = fileURLToPath(new URL('../../.data/test-runs/', import.meta.url));
/** The most recent run's URLs; the run's own copy sits in its directory and is named by STING_TEST_SERVICES. */
export const testServicesFile = fileURLToPath(new URL('../../.data/test-services.json', import.meta.url));
