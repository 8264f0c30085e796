// Routes console.* through the logger, so a library that prints for itself (graphql-ws, Apollo, a driver) cannot
// write a line that skips the Pollen Filter or that a client could forge: each call becomes one JSON record.
import { format } from 'node:util';
import type { Logger } from 'pino';

const LEVELS = {
  log: 'info',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  warn: 'warn',
  error: 'error',
} as const;

/** Replaces console's printing methods for this process; returns a function that restores them. */
export function routeConsoleToLogger(logger: Logger): () => void {
  const target = logger.child({ component: 'console' });
  const saved = new Map<keyof typeof LEVELS, (...args: unknown[]) => void>();
  for (const [method, level] of Object.entries(LEVELS) as [
    keyof typeof LEVELS,
    (typeof LEVELS)[keyof typeof LEVELS],
  ][]) {
    saved.set(method, console[method]);
    console[method] = (...args: unknown[]) => {
      const err = args.find((a): a is Error => a instanceof Error);
      target[level](err ? { err } : {}, format(...args.filter((a) => a !== err)));
    };
  }
  return () => {
    for (const [method, original] of saved) console[method] = original;
  };
}
