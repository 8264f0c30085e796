// What the gateway's result-size check (gateway.limits.maxResultSize) costs per operation, in process, against
// GraphQL validation of the same operation on the same supergraph: the work every operation the gateway has not
// seen before already pays. Three operations: the gateway-overhead benchmark's cross-subgraph list, the web app's
// jar page and its conversation (the largest estimate of the app's screens). Rounds alternate the two rows.
import { getOperationAST, parse, validate } from 'graphql';
import { fragmentsOf } from '@sting/kit';
import { resultSizeViolation } from '../../gateway/src/plugins/operation-limits.ts';
import { PROTECTION_DEFAULTS } from '../../gateway/src/protection.ts';
import { loadSupergraphApiSchema } from '../../gateway/src/rest/openapi.ts';
import { benchRounds, fixed, pairedMicroseconds, table } from './measure.ts';

const schema = loadSupergraphApiSchema();
if (!schema) throw new Error('schema/supergraph.graphql is missing: run `npm run compose`');

const OPERATIONS: [name: string, query: string, variables: Record<string, unknown>][] = [
  ['honey jars with owners', '{ honeyJars { nodes { name owner { displayName } } } }', {}],
  [
    "a jar's page",
    `query ($id: ID!, $first: Int, $after: String) { honeyJar(id: $id) { id name description type status tags
      owner { id displayName } documents(first: $first, after: $after) { nodes { id title fileType size
      processingStatus progress processingError chunkCount createdAt piiFindings { type count } }
      pageInfo { hasNextPage endCursor } totalCount } } }`,
    { id: '00000000-0000-4000-8000-000000000000', first: 50 },
  ],
  [
    'a conversation',
    `query ($id: ID!, $last: Int) { conversation(id: $id) { id title honeyJarIds messageCount
      messages(last: $last) { id role text status createdAt provider model errorCode
        citations { index chunkId page quote document { id title } honeyJar { id name } } } } }`,
    { id: '00000000-0000-4000-8000-000000000000', last: 100 },
  ],
];

const limits = PROTECTION_DEFAULTS.limits;
const rounds = benchRounds(9);
const rows: string[][] = [];
for (const [name, query, variables] of OPERATIONS) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  const fragments = fragmentsOf(document);
  const check = () => void resultSizeViolation(schema, operation, fragments, variables, limits);
  const validation = () => void validate(schema, document);
  const [c, v] = pairedMicroseconds(check, validation, rounds);
  rows.push([name, fixed(c, 2), fixed(v, 2), fixed(c / v, 3)]);
}
process.stdout.write(
  `result-size check against validation, median of ${rounds} rounds, µs per operation\n` +
    table(['operation', 'result-size check', 'validate', 'ratio'], rows) +
    '\n',
);
