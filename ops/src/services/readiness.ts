// Waiting for a started service to answer: polls a probe until it succeeds, the process dies or time runs out,
// and turns the last two into errors that quote the service's log.
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SupervisedProcess } from './supervised-process.ts';

export async function waitUntilReady(
  name: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; process?: SupervisedProcess; logFile?: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (options.process && !options.process.isRunning()) {
      const code = await options.process.exited.catch((error: Error) => error.message);
      throw new Error(
        `${name} exited during start-up (${code}). Last lines of ${options.logFile}:\n${options.process.logTail()}`,
      );
    }
    if (Date.now() > deadline) {
      await options.process?.stop();
      throw new Error(
        `${name} did not become ready within ${options.timeoutMs / 1000}s. Last lines of ${options.logFile}:\n` +
          (options.process?.logTail() ?? ''),
      );
    }
    await sleep(150);
  }
}

/** Sends raw bytes to a TCP port and resolves with whatever arrives first (or '' when the port is closed). */
export function exchange(
  port: number,
  payload: string,
  host = '127.0.0.1',
  timeoutMs = 1000,
): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (answer: string) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(''));
    socket.once('connect', () => {
      if (payload) socket.write(payload);
      else done('open');
    });
    socket.once('data', (data) => done(data.toString('utf8')));
    socket.once('error', () => done(''));
  });
}

export async function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return (await exchange(port, '', host)) === 'open';
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A TCP port nothing listens on right now (the kernel's pick). */
export { freePort } from '@sting/kit/runtime/free-port.ts';
