// The process's one Pollen Filter: every logger created with the default filter shares it, so its statistics
// describe everything this process has logged, and one random id names this process in Beeacon's reports.
import { randomUUID } from 'node:crypto';
import { createPollenFilter, type PollenFilter } from '@sting/pollen-filter';

let shared: PollenFilter | undefined;
const instanceId = randomUUID();

/** The Pollen Filter the process's default loggers share, created on first use with default options. */
export function processPollenFilter(): PollenFilter {
  shared ??= createPollenFilter();
  return shared;
}

/** A random id for this process, fixed for its lifetime: how Beeacon tells one reporting process from another. */
export function processInstanceId(): string {
  return instanceId;
}
