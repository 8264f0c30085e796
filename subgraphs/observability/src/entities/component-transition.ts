// A component of the platform going up or down, as Beeacon's periodic check saw it: the status history.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ComponentKinds } from '../domain/status/probe.ts';

export const ComponentTransition = defineEntity({
  name: 'ComponentTransition',
  tableName: 'component_transition',
  indexes: [{ properties: ['at'] }],
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    component: p.string().length(100),
    kind: p.enum(ComponentKinds),
    /** Up or down; for a transition that is not watched, the state it had when checks stopped. */
    up: p.boolean(),
    /** False: checks stopped here (nothing ran them); its state is unknown until the next transition. */
    watched: p.boolean().default(true),
    /** Why it went down (the probe's detail); null when it came back. */
    detail: p.text().nullable(),
    at: p.datetime(3),
  },
});

export type ComponentTransitionRow = InferEntity<typeof ComponentTransition>;
