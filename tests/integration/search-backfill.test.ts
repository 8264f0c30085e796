// Jars made before knowledge was listening (or changed while it was down) reach its read model of jar access
// through honey-jars' snapshot: sent when honey-jars starts and whenever knowledge asks, whichever starts last.
import { describe, it, expect, afterEach } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createEvent, InProcessEventBus, Topics } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph as honeyJars } from '@sting/honey-jars';
import { serveAccessSnapshots } from '@sting/honey-jars/domain/access-snapshot.ts';
import { subgraph as knowledge } from '@sting/knowledge';
import { followJarAccess } from '@sting/knowledge/domain/jar-access/follow.ts';
import { readableJarIds } from '@sting/knowledge/domain/jar-access/access.ts';
import { applyJarState } from '@sting/knowledge/domain/jar-access/read-model.ts';
import { addMember, buildHoneyJar, buildViewer } from '../../subgraphs/honey-jars/test/factories.ts';
import { waitFor } from './platform.ts';

let runtimes: TestRuntime[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const t of runtimes.splice(0)) await t.close();
});

async function setUp() {
  const bus = new InProcessEventBus();
  const hj = await startTestRuntime(honeyJars, { bus });
  const kn = await startTestRuntime(knowledge, { bus });
  runtimes = [kn, hj];
  const owner = buildViewer('MEMBER');
  const member = buildViewer('MEMBER');
  // Written straight to honey-jars' tables: no event reaches knowledge for these.
  const team = await buildHoneyJar(hj.em(), owner, { type: 'TEAM' });
  await addMember(hj.em(), team, member);
  const open = await buildHoneyJar(hj.em(), owner, { type: 'PUBLIC' });
  // A jar knowledge still knows of but honey-jars no longer has (deleted while knowledge was down).
  const gone = randomUUID();
  await applyJarState(kn.em(), {
    honeyJarId: gone,
    ownerId: owner.id,
    type: 'PUBLIC',
    status: 'ACTIVE',
    name: 'Gone',
    updatedAt: new Date(Date.now() - 60_000).toISOString(),
  });
  const caughtUp = async () => {
    const [m, o] = [await readableJarIds(kn.em(), member), await readableJarIds(kn.em(), owner)];
    return m.includes(team.id) && o.includes(open.id) && !o.includes(gone);
  };
  return { bus, hj, kn, owner, member, team, open, gone, caughtUp };
}

describe('catching up on jars knowledge never heard of', () => {
  it('when knowledge starts after honey-jars: its request is answered with a snapshot', async () => {
    const s = await setUp();
    stops.push(await serveAccessSnapshots(s.bus, s.hj.em, s.hj.runtime.logger));
    expect(await s.caughtUp()).toBe(false);
    stops.push(await followJarAccess({ bus: s.bus, newEntityManager: s.kn.em, logger: s.kn.runtime.logger }));
    await waitFor(s.caughtUp);
    expect(await readableJarIds(s.kn.em(), buildViewer('MEMBER'), [s.team.id, s.open.id])).toEqual([
      s.open.id,
    ]);
  });

  it('with two knowledge replicas and several snapshots at once, takes no live jar for deleted', async () => {
    const s = await setUp();
    // Two replicas following, each asking for a snapshot, besides the one honey-jars sends on start: their pages
    // are applied at once, each replica finishing snapshots the other is still applying.
    const follow = () =>
      followJarAccess({ bus: s.bus, newEntityManager: s.kn.em, logger: s.kn.runtime.logger });
    stops.push(await follow(), await follow());
    stops.push(await serveAccessSnapshots(s.bus, s.hj.em, s.hj.runtime.logger));
    await waitFor(s.caughtUp);
    for (let i = 0; i < 3; i++) {
      await s.bus.publish(
        Topics.honeyJar.snapshotRequested,
        createEvent(Topics.honeyJar.snapshotRequested, {}, { source: 'knowledge' }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await s.caughtUp()).toBe(true);
  });

  it('when honey-jars starts after knowledge: the snapshot it sends on start', async () => {
    const s = await setUp();
    stops.push(await followJarAccess({ bus: s.bus, newEntityManager: s.kn.em, logger: s.kn.runtime.logger }));
    expect(await s.caughtUp()).toBe(false);
    stops.push(await serveAccessSnapshots(s.bus, s.hj.em, s.hj.runtime.logger));
    await waitFor(s.caughtUp);
  });
});
