// Each subgraph's migrations build what its entities declare: after they run, MikroORM finds nothing to change but
// the objects written in raw SQL that entities cannot express, each listed below with its reason. An entity changed
// without a migration (or a migration without its entity) fails here, not in production, where only the
// migrations run.
import { describe, it, expect } from '@jest/globals';
import { SubgraphNames, type SubgraphName } from '@sting/kit';
import { startTestRuntime } from '@sting/kit/testing';

/** Statements of the comparison that are expected, per subgraph: what each migration adds beyond the entities. */
const WRITTEN_IN_SQL: Record<SubgraphName, { statement: RegExp; why: string }[]> = {
  identity: [
    {
      statement: /"passkey" alter column "counter" set default '0'/,
      why: 'a bigint default the migration gives as 0 and the comparison reads back as text',
    },
  ],
  'honey-jars': [],
  knowledge: [
    {
      statement: /"chunk_search_vector_index"|drop column "search_vector"/,
      why: "keyword search's generated, weighted tsvector column and its GIN index",
    },
    {
      statement: /chunk_lexeme_on_(insert|update|delete)/,
      why: "the triggers that keep the spelling index's lexeme counts (spelling.ts)",
    },
    {
      statement: /"chunk_unread_case_index"/,
      why: 'a partial index on the chunks whose case is still to be read (fillWrittenCase)',
    },
    {
      statement: /"document" alter column "pii_findings" drop default/,
      why: "a JSON default ('{}') for rows written before the column existed; the entity sets it on create",
    },
  ],
  chat: [
    {
      statement: /"message_streaming_lease_index"/,
      why: 'a partial index on the answers being written, whose leases the sweep reads (bee/abandoned.ts)',
    },
  ],
  observability: [
    {
      statement: /"alert_unresolved_fingerprint_unique"/,
      why: 'a partial unique index: one unresolved alert per fingerprint',
    },
  ],
};

describe('migrations', () => {
  it.each(SubgraphNames)("%s's migrations build what its entities declare", async (name) => {
    const { subgraph } = await import(`@sting/${name}`);
    // One subgraph's schema at a time, and only its statements: the comparison reads every schema of the
    // database, which other test files fill at the same time (the job queues' schemas among them).
    const t = await startTestRuntime(subgraph);
    try {
      const schema = t.orm.config.get('schema')!;
      const sql = await t.orm.schema.getUpdateSchemaSQL({ wrap: false, dropTables: false, schema });
      const unexpected = sql
        .split(/;\s*\n?/)
        .map((statement) => statement.trim())
        .filter((statement) => statement.includes(`"${schema}".`))
        .filter((statement) => !WRITTEN_IN_SQL[name].some((known) => known.statement.test(statement)));
      expect(unexpected).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
