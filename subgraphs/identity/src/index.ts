// The identity subgraph: Users, sign-in sessions and the first administrator.
import { defineSubgraph, type SubgraphRuntime } from '@sting/kit';
import { entities } from './entities/index.ts';
import { startAuditMaintenance } from './domain/audit/maintenance.ts';
import { announceGeneratedPassword, ensureFirstAdmin } from './domain/first-admin.ts';
import { decoyHash } from './domain/passwords.ts';
import { purgeExpiredSessions } from './domain/sessions.ts';
import { identitySettings } from './domain/settings.ts';
import { createLoaders, type IdentityLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

async function onStart(runtime: SubgraphRuntime<'identity'>): Promise<void> {
  // Made now, so the first sign-in with an unknown email does not pay for it and stand out by its timing.
  await decoyHash();
  const settings = identitySettings(runtime.config);
  const em = runtime.orm.em.fork({ clear: true, useContext: false });
  // Replicas start together: the advisory lock lets exactly one of them create the first admin. With an external
  // provider there is none to create: administrators are whoever it marks ADMIN.
  const admin =
    settings.provider === 'builtin'
      ? await em.transactional(async (tx) => {
          await tx.execute(`select pg_advisory_xact_lock(hashtext('sting.identity.first-admin'))`);
          return ensureFirstAdmin(tx, settings);
        })
      : null;
  const purged = await purgeExpiredSessions(
    runtime.orm.em.fork({ clear: true, useContext: false }),
    new Date(),
    settings.sessions,
  );
  if (purged > 0) runtime.logger.info({ subgraph: 'identity', purged }, 'expired sessions removed');
  await startAuditMaintenance(runtime);
  if (admin) {
    runtime.logger.info({ subgraph: 'identity' }, 'first administrator created');
    announceGeneratedPassword(admin);
  }
}

export const subgraph = defineSubgraph<IdentityLoaders>(import.meta.url, {
  name: 'identity',
  dbSchema: 'identity',
  resolvers,
  entities,
  createLoaders,
  onStart,
});
