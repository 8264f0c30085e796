// Announces each process the launcher restarted after a crash as a `launcher.restart` event on the platform's bus,
// so Beeacon records it and its restart rule alerts administrators. Restarts before the platform is up (a service
// crashing during start-up) are held and published once its bus is there; the log line is written regardless.
import { createEvent, EventTypes, Topics, type EventBus } from '@sting/kit';

export interface LauncherRestart {
  process: string;
  /** How the crashed process ended (exit code or signal), as the launcher saw it. */
  exit: string | null;
  restartInMs: number | null;
}

export class RestartAnnouncer {
  #bus: EventBus | null = null;
  readonly #held: LauncherRestart[] = [];
  readonly #crashes = new Map<string, { exit: string; restartInMs: number | undefined }>();

  readonly #onError: (error: Error) => void;

  constructor(onError: (error: Error) => void) {
    this.#onError = onError;
  }

  crashed(name: string, exit: unknown, restartInMs: number | undefined): void {
    this.#crashes.set(name, { exit: String(exit), restartInMs });
  }

  restarted(name: string): void {
    const crash = this.#crashes.get(name);
    const restart = { process: name, exit: crash?.exit ?? null, restartInMs: crash?.restartInMs ?? null };
    if (this.#bus) this.#publish(this.#bus, restart);
    else this.#held.push(restart);
  }

  /** From now on restarts go straight out; those held go out now. */
  attach(bus: EventBus): void {
    this.#bus = bus;
    for (const restart of this.#held.splice(0)) this.#publish(bus, restart);
  }

  #publish(bus: EventBus, restart: LauncherRestart): void {
    bus
      .publish(
        Topics.launcher.restart,
        createEvent(EventTypes.launcherRestart, restart, { source: 'launcher' }),
      )
      .catch((error: Error) => this.#onError(error));
  }
}
