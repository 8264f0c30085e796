// Runs before every test file: makes sure it sees the URLs of its run's services, from the environment Jest
// passed down or else from the file global setup wrote.
import { readFileSync } from 'node:fs';
import { testServicesFile, type TestServices } from './test-services.ts';

const names = ['DATABASE_URL', 'REDIS_URL', 'CHROMA_URL'] as const;
if (names.some((name) => !process.env[name])) {
  try {
    const file = process.env.STING_TEST_SERVICES ?? testServicesFile;
    const urls = JSON.parse(readFileSync(file, 'utf8')) as TestServices;
    for (const name of names) process.env[name] ||= urls[name];
  } catch {
    // Jest started without the global setup: tests see the caller's environment only.
  }
}
