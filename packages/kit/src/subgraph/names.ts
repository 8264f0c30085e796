// The one list of the platform's subgraphs: the gateway, composition, the launcher and Beeacon all read it here.
export const SubgraphNames = ['identity', 'honey-jars', 'knowledge', 'chat', 'observability'] as const;

export type SubgraphName = (typeof SubgraphNames)[number];

export function isSubgraphName(value: unknown): value is SubgraphName {
  return (SubgraphNames as readonly unknown[]).includes(value);
}
