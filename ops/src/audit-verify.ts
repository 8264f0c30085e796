// `npm run audit:verify`: walks identity's audit-log hash chain in the platform's database (config.yml and its
// environment overrides, as `npm start` uses them) and names the first broken record. Exit status 0: intact;
// 2: broken; 1: the check could not run (no database, migrations not applied).
import { pathToFileURL } from 'node:url';
import { createOrm, loadConfigWithSecrets } from '@sting/kit';
import { subgraph as identity } from '@sting/identity';
import { verifyAuditLog, type AuditVerification } from '@sting/identity/domain/audit/verify.ts';
import { servicesOptions } from './service-options.ts';
import { startPostgres } from './services/postgres.ts';

const say = (line: string) => process.stdout.write(`[sting] ${line}\n`);

/** Verifies the chain kept in `schema` (identity's own by default) of the database at `clientUrl`. */
export async function verifyAuditChain(
  clientUrl: string,
  schema = identity.dbSchema,
): Promise<AuditVerification> {
  const orm = await createOrm({
    clientUrl,
    schema,
    entities: identity.entities,
    migrationsPath: identity.migrationsPath,
    poolMax: 1,
  });
  try {
    return await verifyAuditLog(orm.em.fork({ clear: true, useContext: false }));
  } finally {
    await orm.close(true);
  }
}

/** What the command prints for a result. */
export function describeVerification(result: AuditVerification): string {
  if (result.ok) return `audit log intact: ${result.checked} records checked`;
  return (
    `audit log BROKEN at record ${result.firstBrokenId} (seq ${result.firstBrokenSeq}): ${result.reason}; ` +
    `${result.checked - 1} records before it are intact`
  );
}

async function main(): Promise<number> {
  const { config } = await loadConfigWithSecrets();
  const services = servicesOptions(config);
  const postgres = await startPostgres({ ...services.postgres, logDir: services.logDir, log: say });
  try {
    const result = await verifyAuditChain(postgres.url);
    say(describeVerification(result));
    return result.ok ? 0 : 2;
  } finally {
    await postgres.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (status) => process.exit(status),
    (err: Error) => {
      process.stderr.write(`[sting] audit:verify failed: ${err.message}\n`);
      process.exit(1);
    },
  );
}
