// launcher.restart events: a process kept running (keep-running.ts, with stand-in processes) that crashes and is
// restarted is announced on the platform's bus with its name and how it ended; restarts before the platform's bus
// exists are held and published once it is attached. Beeacon's restart rule reads these events.
import { describe, expect, it } from '@jest/globals';
import { EventTypes, InProcessEventBus, Topics, type EventEnvelope } from '@sting/kit';
import { waitFor } from '@sting/kit/testing';
import { keepRunning, type Started } from '../src/services/keep-running.ts';
import { RestartAnnouncer, type LauncherRestart } from '../src/restart-events.ts';

function fake(): Started & { crash(): void } {
  let crash: () => void = () => undefined;
  const exited = new Promise<unknown>((resolve) => (crash = () => resolve('SIGKILL')));
  return { exited, crash, stop: async () => crash() };
}

describe('launcher.restart events', () => {
  it('announces each restart after a crash, holding those made before the bus is attached', async () => {
    const bus = new InProcessEventBus();
    const heard: EventEnvelope<LauncherRestart>[] = [];
    const subscription = await bus.subscribe<LauncherRestart>(Topics.launcher.restart);
    void (async () => {
      for await (const event of subscription) heard.push(event);
    })();
    const errors: Error[] = [];
    const restarts = new RestartAnnouncer((error) => errors.push(error));
    const instances = [fake()];
    const kept = keepRunning(
      'chat',
      instances[0],
      async () => {
        instances.push(fake());
        return instances.at(-1)!;
      },
      { maxCrashes: 5, windowSeconds: 60, backoffMs: 1, maxBackoffMs: 4 },
      {
        onCrash: (name, exit, restartInMs) => restarts.crashed(name, exit, restartInMs),
        onRestarted: (name) => restarts.restarted(name),
      },
    );

    instances[0].crash();
    await waitFor(() => instances.length === 2, { what: 'first restart' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toEqual([]); // no bus yet: held
    restarts.attach(bus);
    await waitFor(() => heard.length === 1, { what: 'the held restart published' });

    instances[1].crash();
    await waitFor(() => heard.length === 2, { what: 'the second restart published' });
    expect(heard.map((event) => [event.type, event.source, event.payload])).toEqual([
      [EventTypes.launcherRestart, 'launcher', { process: 'chat', exit: 'SIGKILL', restartInMs: 1 }],
      [EventTypes.launcherRestart, 'launcher', { process: 'chat', exit: 'SIGKILL', restartInMs: 2 }],
    ]);
    expect(errors).toEqual([]);
    await kept.stop();
    await subscription.return();
    await bus.close();
  });
});
