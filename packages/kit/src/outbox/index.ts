// The transactional outbox of @sting/kit: the table's entity, enqueueing an event with a change, and the relay.
export * from './outbox-event.ts';
export * from './relay.ts';
