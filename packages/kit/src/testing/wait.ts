// The one way tests wait: for a condition to hold, or for a promise to settle, each with a deadline that fails
// the test with a message instead of hanging it.

export interface WaitOptions {
  /** Default 5 s. */
  timeoutMs?: number;
  /** How often the condition is checked (default 20 ms). */
  intervalMs?: number;
  /** Said in the error when the deadline passes. */
  what?: string;
}

/** Resolves once `condition` holds; rejects when it still does not at the deadline (ms, or options). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: WaitOptions | number = {},
): Promise<void> {
  const {
    timeoutMs = 5000,
    intervalMs = 20,
    what = 'condition',
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (performance.now() >= deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Whether `condition` came to hold within `timeoutMs`, for callers that assert on it themselves. */
export function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  return waitFor(condition, timeoutMs).then(
    () => true,
    () => false,
  );
}

/** `promise`, or a rejection when it has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms = 2000, what = 'result'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
