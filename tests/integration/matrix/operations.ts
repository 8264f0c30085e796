// The expected answer of every root operation the supergraph offers (GraphQL queries, mutations, subscriptions),
// with the request each cell sends. A new operation without a row here fails the matrix test. Operations that
// would destroy what other cells ask about get a record of their own per allowed cell (`fresh`); probes name
// records that do not exist or input that is refused, so their allowed answer is an input error, never a change.
import { randomUUID } from 'node:crypto';
import {
  administrators,
  authors,
  everyone,
  managesJar,
  readsJar,
  SHARED,
  type Asker,
  type Expectation,
} from './model.ts';

/** What a cell's request is about (made by run.ts from the world). */
export interface Fixture {
  jarId: string;
  documentId: string;
  word: string;
  pendingId?: string;
  conversationId: string;
  messageId: string;
  alertId: string;
  /** The asker's own id (deleting oneself is refused after the checks: a probe). */
  selfId: string;
  bystander: { id: string; email: string; password: string };
  victimId: string;
  /** The record of its own an allowed cell of a `fresh` operation destroys. */
  freshId?: string;
}

export interface Request {
  query: string;
  variables?: Record<string, unknown>;
}

export interface GraphQLCase extends Expectation {
  request(f: Fixture): Request;
  /** Whether a successful answer shows the record (default: the root field is not null). */
  saw?(data: any, f: Fixture): boolean;
  /** NOT_FOUND is an allowed answer (the probe names a record that does not exist). */
  probe?: boolean;
  /** Error codes that still mean the caller got through (the account's state, not the caller, refused). */
  passes?: readonly string[];
  fresh?: 'jar' | 'document' | 'conversation';
  /** Runs after every other operation, in this order (it ends the caller's sessions). */
  phase?: 1 | 2;
  /**
   * A key restricted to some jars may not do this though it names no jar (creating a jar; changing a conversation
   * whose answer quotes jars outside the key's).
   */
  restrictedKeyRefused?: boolean;
}

const includes = (data: unknown, id: string | undefined) =>
  id !== undefined && JSON.stringify(data).includes(id);
const owns = (a: Asker) => a.relation === 'owner';
const adminSession = (a: Asker) => a.admin && a.session;
// VIEWER is a read-only role: no uploads to a jar they own or were added to either.
const uploads = (a: Asker) =>
  authors(a) &&
  (managesJar(a) || (a.relation === 'member' && SHARED.includes(a.jarType!)) || a.jarType === 'PUBLIC');
const reviews = (a: Asker) => a.jarType === 'PUBLIC' && managesJar(a);
const NEW_PASSWORD = 'another long enough password 42';

const chat = (target: 'conversation' | 'none', allows: (a: Asker) => boolean) =>
  ({ scope: 'bee:chat', target, allows }) as const;
const session = { scope: 'no-key', target: 'none', allows: everyone } as const;
const admin = { scope: 'admin', target: 'none', allows: administrators } as const;

export const GRAPHQL_CASES: Record<string, GraphQLCase> = {
  // chat
  conversations: {
    ...chat('none', everyone),
    request: () => ({ query: '{ conversations { nodes { id } } }' }),
  },
  conversation: {
    ...chat('conversation', owns),
    request: (f) => ({
      query: 'query ($id: ID!) { conversation(id: $id) { id } }',
      variables: { id: f.conversationId },
    }),
  },
  exportConversation: {
    ...chat('conversation', owns),
    request: (f) => ({
      query: 'query ($id: ID!) { exportConversation(id: $id, format: MARKDOWN) }',
      variables: { id: f.conversationId },
    }),
  },
  startConversation: {
    ...chat('none', everyone),
    request: () => ({ query: 'mutation { startConversation { id } }' }),
  },
  sendMessage: {
    ...chat('conversation', owns),
    request: (f) => ({
      query: 'mutation ($id: ID!) { sendMessage(conversationId: $id, text: "And the bees?") { id } }',
      variables: { id: f.conversationId },
    }),
  },
  // The person's own question: stopping or regenerating it is refused as input once the caller is let through.
  stopGenerating: {
    ...chat('conversation', owns),
    request: (f) => ({
      query: 'mutation ($m: ID!) { stopGenerating(messageId: $m) { id } }',
      variables: { m: f.messageId },
    }),
  },
  regenerate: {
    ...chat('conversation', owns),
    request: (f) => ({
      query: 'mutation ($m: ID!) { regenerate(messageId: $m) { id } }',
      variables: { m: f.messageId },
    }),
  },
  // The conversation's answer quotes its owner's jars, which a key restricted to another jar may not read: that key
  // may not rename or delete it.
  renameConversation: {
    ...chat('conversation', owns),
    restrictedKeyRefused: true,
    request: (f) => ({
      query: 'mutation ($id: ID!) { renameConversation(id: $id, title: "Matrix") { id } }',
      variables: { id: f.conversationId },
    }),
  },
  setConversationHoneyJars: {
    ...chat('conversation', owns),
    request: (f) => ({
      query: 'mutation ($id: ID!) { setConversationHoneyJars(id: $id, honeyJarIds: null) { id } }',
      variables: { id: f.conversationId },
    }),
  },
  deleteConversation: {
    ...chat('conversation', owns),
    restrictedKeyRefused: true,
    fresh: 'conversation',
    request: (f) => ({
      query: 'mutation ($id: ID!) { deleteConversation(id: $id) }',
      variables: { id: f.freshId ?? f.conversationId },
    }),
  },
  messageAdded: {
    ...chat('conversation', owns),
    request: (f) => ({
      query: 'subscription ($id: ID!) { messageAdded(conversationId: $id) { id } }',
      variables: { id: f.conversationId },
    }),
  },
  messageStream: {
    ...chat('conversation', owns),
    request: (f) => ({
      query: 'subscription ($id: ID!) { messageStream(conversationId: $id) { __typename } }',
      variables: { id: f.conversationId },
    }),
  },

  // honey jars
  honeyJars: {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: readsJar,
    request: () => ({ query: '{ honeyJars(first: 50) { nodes { id } } }' }),
    saw: (data, f) => includes(data, f.jarId),
  },
  honeyJar: {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: readsJar,
    request: (f) => ({ query: 'query ($id: ID!) { honeyJar(id: $id) { id } }', variables: { id: f.jarId } }),
  },
  // An empty name is refused as input once the caller may create jars.
  createHoneyJar: {
    scope: 'honey-jars:write',
    target: 'none',
    allows: authors,
    restrictedKeyRefused: true,
    request: () => ({ query: 'mutation { createHoneyJar(input: { name: "" }) { id } }' }),
  },
  // An empty name is refused as input once the caller may change the jar (nothing is written).
  updateHoneyJar: {
    scope: 'honey-jars:write',
    target: 'jar',
    allows: managesJar,
    request: (f) => ({
      query: 'mutation ($id: ID!) { updateHoneyJar(id: $id, input: { name: "" }) { id } }',
      variables: { id: f.jarId },
    }),
  },
  deleteHoneyJar: {
    scope: 'honey-jars:write',
    target: 'jar',
    allows: managesJar,
    fresh: 'jar',
    request: (f) => ({
      query: 'mutation ($id: ID!) { deleteHoneyJar(id: $id) }',
      variables: { id: f.freshId ?? f.jarId },
    }),
  },
  // PRIVATE and PUBLIC jars refuse members as input (BAD_USER_INPUT) once the caller may manage the jar.
  addHoneyJarMember: {
    scope: 'honey-jars:write',
    target: 'jar',
    allows: managesJar,
    request: (f) => ({
      query: 'mutation ($j: ID!, $u: ID!) { addHoneyJarMember(honeyJarId: $j, userId: $u) { id } }',
      variables: { j: f.jarId, u: f.bystander.id },
    }),
  },
  removeHoneyJarMember: {
    scope: 'honey-jars:write',
    target: 'jar',
    allows: managesJar,
    request: (f) => ({
      query: 'mutation ($j: ID!, $u: ID!) { removeHoneyJarMember(honeyJarId: $j, userId: $u) { id } }',
      variables: { j: f.jarId, u: randomUUID() },
    }),
  },

  // identity: people
  me: { scope: 'any-key', target: 'none', allows: everyone, request: () => ({ query: '{ me { id } }' }) },
  user: {
    scope: 'any-key',
    target: 'none',
    allows: everyone,
    request: (f) => ({
      query: 'query ($id: ID!) { user(id: $id) { id } }',
      variables: { id: f.bystander.id },
    }),
  },
  users: { ...admin, request: () => ({ query: '{ users(first: 1) { edges { node { id } } } }' }) },
  searchPeople: {
    scope: 'any-key',
    target: 'none',
    allows: authors,
    request: () => ({ query: '{ searchPeople(query: "bystander") { id } }' }),
  },
  createUser: {
    ...admin,
    request: () => ({
      query:
        'mutation { createUser(input: { email: "not an address", displayName: "x", password: "a long enough password" }) { id } }',
    }),
  },
  // Sensitive: a session only (keys are refused the step-up), setting the role the person already has.
  setUserRole: {
    ...admin,
    allows: adminSession,
    request: (f) => ({
      query: 'mutation ($id: ID!) { setUserRole(id: $id, role: MEMBER) { id } }',
      variables: { id: f.victimId },
    }),
  },
  disableUser: {
    ...admin,
    request: (f) => ({
      query: 'mutation ($id: ID!) { disableUser(id: $id) { id } }',
      variables: { id: f.victimId },
    }),
  },
  enableUser: {
    ...admin,
    request: (f) => ({
      query: 'mutation ($id: ID!) { enableUser(id: $id) { id } }',
      variables: { id: f.victimId },
    }),
  },
  // Deleting oneself is refused as input after every check.
  deleteUser: {
    ...admin,
    allows: adminSession,
    request: (f) => ({
      query: 'mutation ($id: ID!) { deleteUser(input: { id: $id, honeyJars: DELETE }) }',
      variables: { id: f.selfId },
    }),
  },
  // Sensitive: the link signs in as the person, so a session only (keys are refused the step-up).
  createPasswordResetLink: {
    ...admin,
    allows: adminSession,
    request: (f) => ({
      query: 'mutation ($id: ID!) { createPasswordResetLink(userId: $id) { expiresAt } }',
      variables: { id: f.victimId },
    }),
  },
  resetPassword: {
    scope: 'public',
    target: 'none',
    allows: everyone,
    probe: true,
    request: () => ({
      query: 'mutation ($p: String!) { resetPassword(token: "not-a-token", newPassword: $p) }',
      variables: { p: NEW_PASSWORD },
    }),
  },
  login: {
    scope: 'public',
    target: 'none',
    allows: everyone,
    request: (f) => ({
      query: 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      variables: { e: f.bystander.email, p: f.bystander.password },
    }),
  },
  updateProfile: {
    ...session,
    request: () => ({ query: 'mutation { updateProfile(input: { displayName: "Matrix person" }) { id } }' }),
  },
  changePassword: {
    ...session,
    probe: true,
    request: () => ({
      query:
        'mutation ($p: String!) { changePassword(currentPassword: "not the password", newPassword: $p) }',
      variables: { p: NEW_PASSWORD },
    }),
  },
  mySessions: { ...session, request: () => ({ query: '{ mySessions { id } }' }) },
  endSession: {
    ...session,
    probe: true,
    request: () => ({
      query: 'mutation ($id: ID!) { endSession(id: $id) }',
      variables: { id: randomUUID() },
    }),
  },
  endOtherSessions: { ...session, phase: 1, request: () => ({ query: 'mutation { endOtherSessions }' }) },
  // Without a session there is nothing to end: false.
  logout: {
    ...session,
    phase: 2,
    request: () => ({ query: 'mutation { logout }' }),
    saw: (ended) => ended === true,
  },

  // identity: API keys, second factors, passkeys (a person's own, with their session)
  apiKeys: { ...session, request: () => ({ query: '{ apiKeys { id } }' }) },
  createApiKey: {
    ...session,
    request: () => ({
      query: 'mutation { createApiKey(input: { name: "matrix", scopes: ["search"] }) { key } }',
    }),
  },
  revokeApiKey: {
    ...session,
    probe: true,
    request: () => ({
      query: 'mutation ($id: ID!) { revokeApiKey(id: $id) }',
      variables: { id: randomUUID() },
    }),
  },
  secondFactor: { ...session, request: () => ({ query: '{ secondFactor { totpEnrolled } }' }) },
  startTotpEnrollment: {
    ...session,
    request: () => ({ query: 'mutation { startTotpEnrollment { otpauthUri } }' }),
  },
  confirmTotpEnrollment: {
    ...session,
    probe: true,
    request: () => ({ query: 'mutation { confirmTotpEnrollment(code: "000000") { codes } }' }),
  },
  disableTotp: {
    ...session,
    probe: true,
    request: () => ({ query: 'mutation { disableTotp(code: "000000") }' }),
  },
  regenerateRecoveryCodes: {
    ...session,
    probe: true,
    passes: ['STEP_UP_REQUIRED'],
    request: () => ({ query: 'mutation { regenerateRecoveryCodes { codes } }' }),
  },
  verifySecondFactor: {
    ...session,
    probe: true,
    request: () => ({ query: 'mutation { verifySecondFactor(code: "000000") }' }),
  },
  passkeys: { ...session, request: () => ({ query: '{ passkeys { id } }' }) },
  startPasskeyRegistration: {
    ...session,
    request: () => ({ query: 'mutation { startPasskeyRegistration }' }),
  },
  finishPasskeyRegistration: {
    ...session,
    probe: true,
    request: () => ({
      query: 'mutation { finishPasskeyRegistration(name: "matrix", response: "{}") { id } }',
    }),
  },
  renamePasskey: {
    ...session,
    probe: true,
    request: () => ({
      query: 'mutation ($id: ID!) { renamePasskey(id: $id, name: "matrix") { id } }',
      variables: { id: randomUUID() },
    }),
  },
  removePasskey: {
    ...session,
    probe: true,
    request: () => ({
      query: 'mutation ($id: ID!) { removePasskey(id: $id) }',
      variables: { id: randomUUID() },
    }),
  },
  startPasskeySignIn: {
    scope: 'public',
    target: 'none',
    allows: everyone,
    request: () => ({ query: 'mutation { startPasskeySignIn { challengeId } }' }),
  },
  finishPasskeySignIn: {
    scope: 'public',
    target: 'none',
    allows: everyone,
    probe: true,
    request: () => ({
      query: 'mutation ($c: ID!) { finishPasskeySignIn(challengeId: $c, response: "{}") { token } }',
      variables: { c: randomUUID() },
    }),
  },

  // identity: the audit log
  auditEvents: { ...admin, request: () => ({ query: '{ auditEvents(first: 1) { nodes { id } } }' }) },
  verifyAuditLog: { ...admin, request: () => ({ query: '{ verifyAuditLog { ok } }' }) },

  // knowledge
  search: {
    scope: ['search', 'bee:chat'],
    target: 'jar',
    allows: readsJar,
    request: (f) => ({
      query: 'query ($q: String!, $j: [ID!]) { search(query: $q, honeyJarIds: $j) { honeyJar { id } } }',
      variables: { q: f.word, j: [f.jarId] },
    }),
    saw: (data, f) => includes(data, f.jarId),
  },
  searchCorrection: {
    scope: ['search', 'bee:chat'],
    target: 'jar',
    allows: readsJar,
    // The jar's word with two letters swapped: only a reader is told which word of the jar it was taken for.
    request: (f) => ({
      query:
        'query ($q: String!, $j: [ID!]) { searchCorrection(query: $q, honeyJarIds: $j) { words { searched } } }',
      variables: { q: f.word.slice(0, 3) + f.word[4] + f.word[3] + f.word.slice(5), j: [f.jarId] },
    }),
    saw: (data, f) => includes(data, f.word),
  },
  document: {
    scope: 'honey-jars:read',
    target: 'document',
    allows: readsJar,
    request: (f) => ({
      query: 'query ($id: ID!) { document(id: $id) { id } }',
      variables: { id: f.documentId },
    }),
  },
  documents: {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: readsJar,
    request: (f) => ({
      query: 'query ($j: ID) { documents(honeyJarId: $j) { nodes { id } } }',
      variables: { j: f.jarId },
    }),
    saw: (data, f) => includes(data, f.documentId),
  },
  // Only PUBLIC jars have proposals waiting; their owner and administrators see them.
  documentReviewQueue: {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: reviews,
    request: (f) => ({
      query: 'query ($j: ID) { documentReviewQueue(honeyJarId: $j) { nodes { id } } }',
      variables: { j: f.jarId },
    }),
    saw: (data, f) => includes(data, f.pendingId),
  },
  stagedUpload: {
    scope: 'documents:write',
    target: 'none',
    allows: everyone,
    request: () => ({ query: '{ stagedUpload(token: "not-a-token") { token } }' }),
    saw: () => true,
  },
  createUpload: {
    scope: 'documents:write',
    target: 'jar',
    allows: uploads,
    request: (f) => ({
      query: 'mutation ($j: ID!) { createUpload(honeyJarId: $j, filename: "matrix.md") { token } }',
      variables: { j: f.jarId },
    }),
  },
  completeUpload: {
    scope: 'documents:write',
    target: 'none',
    allows: everyone,
    probe: true,
    request: () => ({ query: 'mutation { completeUpload(token: "not-a-token") { alreadyStored } }' }),
  },
  reprocessDocument: {
    scope: 'documents:write',
    target: 'document',
    allows: managesJar,
    fresh: 'document',
    request: (f) => ({
      query: 'mutation ($id: ID!) { reprocessDocument(id: $id) { id } }',
      variables: { id: f.freshId ?? f.documentId },
    }),
  },
  deleteDocument: {
    scope: 'documents:write',
    target: 'document',
    allows: managesJar,
    fresh: 'document',
    request: (f) => ({
      query: 'mutation ($id: ID!) { deleteDocument(id: $id) }',
      variables: { id: f.freshId ?? f.documentId },
    }),
  },
  // A document not waiting for review is refused as input once the caller may review.
  approveDocument: {
    scope: 'documents:write',
    target: 'document',
    allows: managesJar,
    request: (f) => ({
      query: 'mutation ($id: ID!) { approveDocument(id: $id) { id } }',
      variables: { id: f.documentId },
    }),
  },
  rejectDocument: {
    scope: 'documents:write',
    target: 'document',
    allows: managesJar,
    request: (f) => ({
      query: 'mutation ($id: ID!) { rejectDocument(id: $id) }',
      variables: { id: f.documentId },
    }),
  },
  documentStatusChanged: {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: readsJar,
    request: (f) => ({
      query: 'subscription ($j: ID!) { documentStatusChanged(honeyJarId: $j) { id } }',
      variables: { j: f.jarId },
    }),
  },

  // observability
  alerts: { ...admin, request: () => ({ query: '{ alerts(first: 1) { nodes { id } } }' }) },
  systemStatus: {
    scope: 'any-key',
    target: 'none',
    allows: everyone,
    request: () => ({ query: '{ systemStatus { status } }' }),
  },
  pollenFilterStats: { ...admin, request: () => ({ query: '{ pollenFilterStats { since } }' }) },
  raiseAlert: {
    ...admin,
    request: () => ({
      query:
        'mutation { raiseAlert(input: { severity: INFO, title: "Matrix", source: "matrix", subject: "cells" }) { id } }',
    }),
  },
  acknowledgeAlert: {
    ...admin,
    request: (f) => ({
      query: 'mutation ($id: ID!) { acknowledgeAlert(id: $id) { id } }',
      variables: { id: f.alertId },
    }),
  },
  resolveAlert: {
    ...admin,
    request: (f) => ({
      query: 'mutation ($id: ID!) { resolveAlert(id: $id) { id } }',
      variables: { id: f.alertId },
    }),
  },
  alertRaised: { ...admin, request: () => ({ query: 'subscription { alertRaised { id } }' }) },
  lokiStatus: { ...admin, request: () => ({ query: '{ lokiStatus { configured } }' }) },
  grafanaStatus: { ...admin, request: () => ({ query: '{ grafanaStatus { configured } }' }) },
  observabilityConfig: { ...admin, request: () => ({ query: '{ observabilityConfig { key } }' }) },
  logs: { ...admin, request: () => ({ query: '{ logs(first: 1) { nodes { id } } }' }) },
  eventSummary: { ...admin, request: () => ({ query: '{ eventSummary(days: 1) { __typename } }' }) },
  alertRules: { ...admin, request: () => ({ query: '{ alertRules { name } }' }) },
  generateHealthReport: {
    ...admin,
    request: () => ({ query: 'mutation { generateHealthReport { __typename } }' }),
  },
  healthReportPdf: {
    ...admin,
    probe: true,
    request: () => ({
      query: 'query ($id: ID!) { healthReportPdf(id: $id) }',
      variables: { id: randomUUID() },
    }),
  },
};
