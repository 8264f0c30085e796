// The one registry of the platform's bus topics and event type names, and of which topics are durable (kept in a
// stream for consumer groups, see DurableTopics below). A subgraph publishes and subscribes only through these
// names, so a producer and its consumers can never drift apart on a string.

/** Every event type the platform emits; an envelope's `type` is one of these. */
export const EventTypes = {
  userAction: 'user.action',
  systemAlert: 'system.alert',
  aiAnalysisComplete: 'ai.analysis.complete',
  alertTriggered: 'observability.alert.triggered',
  piiDetected: 'observability.pii.detected',
  pollenStats: 'observability.pollen.stats',
  /** Per process and interval: log records filtered and redactions per type; counts only, never content. */
  logSanitized: 'observability.log.sanitized',
  /** A batch of one process's (already filtered) log records for the embedded log store. */
  logRecords: 'observability.log.records',
  /** A component failed its health check several times in a row (Beeacon's component-down rule). */
  healthFailed: 'observability.health.failed',
  honeyJarCreated: 'honeyjar.created',
  honeyJarUpdated: 'honeyjar.updated',
  honeyJarDeleted: 'honeyjar.deleted',
  honeyJarMemberAdded: 'honeyjar.member_added',
  honeyJarMemberRemoved: 'honeyjar.member_removed',
  /** A page of every jar's access facts, for read models catching up (honey-jars' access-snapshot.ts). */
  honeyJarSnapshot: 'honeyjar.snapshot',
  honeyJarSnapshotRequested: 'honeyjar.snapshot_requested',
  chatMessageCreated: 'chat.message.created',
  /** A packet of one of Bee's answers being written (delta, citation, completed, failed). */
  chatAnswerPacket: 'chat.answer.packet',
  /** To whichever chat replica writes an answer: stop it, or nobody watches its conversation any more. */
  chatAnswerControl: 'chat.answer.control',
  documentStatusChanged: 'knowledge.document.status_changed',
  /** An API key was revoked: gateways forget it at once instead of when their cached viewer expires. */
  apiKeyRevoked: 'identity.api_key.revoked',
  /** A person's role, standing or sessions changed: gateways forget their cached sessions and re-check sockets. */
  userChanged: 'identity.user.changed',
  /** A person was deleted: honey-jars transfers or deletes their jars, chat deletes their conversations. */
  userDeleted: 'user.deleted',
  /** `npm start` restarted a process (subgraph, PostgreSQL, Redis, Chroma) after it crashed. */
  launcherRestart: 'launcher.restart',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

const eventTypeNames = new Set<string>(Object.values(EventTypes));

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && eventTypeNames.has(value);
}

/**
 * Bus topics. A fixed topic carries one event type and has its name; a per-record topic (one conversation's
 * messages) is a function of the record's id, so subscribers hear only their own.
 */
export const Topics = {
  honeyJar: {
    created: EventTypes.honeyJarCreated,
    updated: EventTypes.honeyJarUpdated,
    deleted: EventTypes.honeyJarDeleted,
    memberAdded: EventTypes.honeyJarMemberAdded,
    memberRemoved: EventTypes.honeyJarMemberRemoved,
    snapshot: EventTypes.honeyJarSnapshot,
    snapshotRequested: EventTypes.honeyJarSnapshotRequested,
  },
  chat: {
    messageAdded: (conversationId: string) => `chat.message.${conversationId}`,
    answerStream: (conversationId: string) => `chat.stream.${conversationId}`,
    answerControl: EventTypes.chatAnswerControl,
    /** Every conversation's new messages (the per-conversation topic above serves the live feed). */
    messageCreated: EventTypes.chatMessageCreated,
  },
  observability: {
    alertTriggered: EventTypes.alertTriggered,
    piiDetected: EventTypes.piiDetected,
    pollenStats: EventTypes.pollenStats,
    logSanitized: EventTypes.logSanitized,
    logRecords: EventTypes.logRecords,
    healthFailed: EventTypes.healthFailed,
  },
  knowledge: {
    documentStatus: (honeyJarId: string) => `knowledge.document-status.${honeyJarId}`,
    /** Every jar's status changes (the per-jar topic above serves the live feed). */
    documentStatusChanged: EventTypes.documentStatusChanged,
  },
  launcher: { restart: EventTypes.launcherRestart },
  system: { alert: EventTypes.systemAlert },
  ai: { analysisComplete: EventTypes.aiAnalysisComplete },
  user: { action: EventTypes.userAction },
  identity: {
    apiKeyRevoked: EventTypes.apiKeyRevoked,
    userChanged: EventTypes.userChanged,
    userDeleted: EventTypes.userDeleted,
  },
} as const;

/** How the bus keeps a durable topic (see DurableTopics). */
export interface DurableTopicSettings {
  /**
   * The consumer groups that read the topic, one per consuming service. What every group has acknowledged is
   * trimmed from the topic's stream, but only once each group named here exists: a group's first start still
   * finds whatever was published before it.
   */
  readonly groups: readonly string[];
  /**
   * Entries the topic's Redis stream keeps at most, handled or not (approximately: Redis trims whole blocks of
   * about 100). Events beyond it are lost to a group that has not read them; configurable per topic
   * (`redis.streams.maxLength`).
   */
  readonly maxLength: number;
}

/**
 * Topics whose every event must be handled even by a consumer that is down or restarting when it is published.
 * Publishers change nothing: the Redis bus appends such an event to the topic's stream besides delivering it to
 * live subscribers, and `consume(topic, group, handler)` (or `followTopic(..., { group })`) hands each event to
 * one consumer of each group, at least once, acknowledged when its handler succeeded (stream-consumer.ts).
 */
export const DurableTopics: Readonly<Record<string, DurableTopicSettings>> = {
  // A few hundred bytes each, and rare: 100k is years of deletions.
  [Topics.identity.userDeleted]: { groups: ['chat', 'honey-jars'], maxLength: 100_000 },
  // One batch per process and flush interval (1 s), of up to 1000 records: 2000 batches cover several minutes of
  // observability being away (five processes sending one a second each) and take a few MB of Redis's memory at
  // ordinary log rates, about 1 GB if every batch were full (~0.5 MB).
  [Topics.observability.logRecords]: { groups: ['observability'], maxLength: 2_000 },
};

/** A durable topic's settings; throws for any other topic. */
export function durableTopic(topic: string): DurableTopicSettings {
  const settings = Object.hasOwn(DurableTopics, topic) ? DurableTopics[topic] : undefined;
  if (!settings) throw new Error(`${topic} is not a durable topic (DurableTopics in kit/bus/topics.ts)`);
  return settings;
}
