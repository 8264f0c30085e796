// Runs before every test file: gives it the URLs of the services global setup started or found.
import { readFileSync } from 'node:fs';
import { testServicesFile, type TestServices } from './test-services.ts';

let urls: Partial<TestServices> = {};
try {
  urls = JSON.parse(readFileSync(testServicesFile, 'utf8')) as TestServices;
} catch {
  // Jest run without the global setup (e.g. a single project config): tests see the caller's environment.
}
for (const [name, value] of Object.entries(urls)) if (value) process.env[name] = value;
