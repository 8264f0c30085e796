// The restart policy with stand-in processes (promises the test settles): a crash is followed by a restart, a
// failed restart counts as a crash, more crashes than allowed within the window give up, and stop() ends it all.
import { describe, expect, it } from '@jest/globals';
import { keepRunning, type RestartPolicy, type Started } from '../src/services/keep-running.ts';

type Fake = Started & { crash(): void; stopped: boolean };

function fake(): Fake {
  let crash: () => void = () => undefined;
  const exited = new Promise<unknown>((resolve) => (crash = () => resolve('SIGKILL')));
  const process: Fake = {
    exited,
    stopped: false,
    crash,
    // Like a real process, a stopped one exits.
    stop: async () => {
      process.stopped = true;
      crash();
    },
  };
  return process;
}

const quick: RestartPolicy = { maxCrashes: 2, windowSeconds: 60, backoffMs: 1, maxBackoffMs: 4 };
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('keepRunning', () => {
  it('restarts a crashed process and gives up after more than maxCrashes crashes within the window', async () => {
    const instances = [fake()];
    const log: string[] = [];
    const kept = keepRunning(
      'honey-jars',
      instances[0] as Fake,
      async () => {
        const next = fake();
        instances.push(next);
        return next;
      },
      quick,
      {
        onCrash: (name, exit, delay) => log.push(`${name} ${String(exit)} ${delay ?? 'give up'}`),
        onRestarted: (name) => log.push(`${name} restarted`),
      },
    );
    let gaveUp: string | undefined;
    void kept.gaveUp.then((name) => (gaveUp = name));
    for (let crash = 0; crash < 3; crash += 1) {
      const count = instances.length;
      instances[count - 1]?.crash();
      if (crash < 2) await until(() => instances.length === count + 1 && kept.current() === instances[count]);
    }
    await until(() => gaveUp !== undefined);
    expect(gaveUp).toBe('honey-jars');
    expect(instances).toHaveLength(3);
    // The backoff doubles with each crash in the window.
    expect(log).toEqual([
      'honey-jars SIGKILL 1',
      'honey-jars restarted',
      'honey-jars SIGKILL 2',
      'honey-jars restarted',
      'honey-jars SIGKILL give up',
    ]);
    await kept.stop();
  });

  it('counts a failed restart as a crash and keeps trying within the policy', async () => {
    const first = fake();
    let attempts = 0;
    const errors: string[] = [];
    const second = fake();
    const kept = keepRunning(
      'Redis',
      first,
      async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('port still taken');
        return second;
      },
      quick,
      { onRestartFailed: (_name, error) => errors.push(error.message) },
    );
    first.crash();
    await until(() => kept.current() === second);
    expect(errors).toEqual(['port still taken']);
    await kept.stop();
    expect(second.stopped).toBe(true);
  });

  it('does not restart what it was asked to stop', async () => {
    const first = fake();
    let restarts = 0;
    const kept = keepRunning(
      'chat',
      first,
      async () => {
        restarts += 1;
        return fake();
      },
      quick,
    );
    await kept.stop();
    first.crash();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect({ stopped: first.stopped, restarts }).toEqual({ stopped: true, restarts: 0 });
  });
});
