// The data the authorization matrix asks about, made once through the platform's own APIs: for each role an
// owner, a member and an outsider; each owner's jars of every type (members added to the shared ones), a document
// in each (searchable), a proposal waiting for review in each PUBLIC jar, a conversation per owner, an alert, and
// the API keys every cell needs. Jars owned by a VIEWER are made while their owner is still a MEMBER.
import { randomUUID } from 'node:crypto';
import type { ApiKeyScope } from '@sting/kit';
import { ADMIN, graphql, signIn } from '../platform.ts';
import { JAR_TYPES, ROLES, SHARED, type Cell, type JarType, type PersonCell, type Role } from './model.ts';

export const PASSWORD = 'a long enough password for the matrix';

export interface Person {
  id: string;
  email: string;
  session: string;
}

export interface JarFixture {
  id: string;
  /** A READY document uploaded by the jar's owner, and the word only it contains. */
  documentId: string;
  word: string;
  /** PUBLIC jars: a document someone else proposed, waiting for review. */
  pendingId?: string;
}

export interface World {
  url: string;
  base: string;
  admin: string;
  people: Record<'owner' | 'member' | 'other', Record<Role, Person>>;
  /** Never asks: added to jars (a member of every shared one), proposes documents, signs in for `login` cells. */
  bystander: Person;
  /** Never asks: disabled, enabled, given the role they have, issued reset links. */
  victim: Person;
  /** Each owner's jars, by type. */
  jars: Record<Role, Record<JarType, JarFixture>>;
  /** The jar restricted keys are restricted to (readable by all, touched by no cell). */
  elsewhere: string;
  /** Each owner's conversation and a question in it. */
  conversations: Record<Role, { id: string; messageId: string }>;
  alertId: string;
  keys: Map<string, string>;
}

export const keySignature = (personId: string, scopes: readonly ApiKeyScope[], restricted: boolean) =>
  `${personId}|${[...scopes].sort().join(',')}|${restricted ? 'restricted' : 'any'}`;

async function must(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const result = await graphql(url, query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`${query}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

async function createPerson(url: string, admin: string, label: string, role: Role): Promise<Person> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const data = await must(
    url,
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { email, password: PASSWORD, displayName: label, role } },
    admin,
  );
  return { id: data.createUser.id, email, session: await signIn(url, email, PASSWORD) };
}

export async function createJar(
  url: string,
  token: string,
  type: JarType,
  memberIds: string[],
): Promise<string> {
  const data = await must(
    url,
    'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
    { i: { name: `${type} ${randomUUID().slice(0, 8)}`, type } },
    token,
  );
  const id: string = data.createHoneyJar.id;
  if (SHARED.includes(type))
    for (const userId of memberIds)
      await must(
        url,
        'mutation ($j: ID!, $u: ID!) { addHoneyJarMember(honeyJarId: $j, userId: $u) { id } }',
        { j: id, u: userId },
        token,
      );
  return id;
}

/** Uploads one Markdown document over REST (waiting for knowledge to learn of a new jar); its id. */
export async function uploadDocument(
  base: string,
  token: string,
  jarId: string,
  text: string,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const body = new FormData();
    body.append('title', 'Matrix notes');
    body.append('file', new Blob([text], { type: 'text/markdown' }), 'notes.md');
    const response = await fetch(new URL(`/api/v1/honey-pots/${jarId}/upload`, base), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    const answer = (await response.json()) as { data?: { id: string }[] };
    if (answer.data?.[0]) return answer.data[0].id;
    if (response.status !== 404 || attempt > 100)
      throw new Error(`upload failed: ${response.status} ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitUntilReady(base: string, token: string, documentId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(new URL(`/api/v1/documents/${documentId}`, base), {
      headers: { authorization: `Bearer ${token}` },
    });
    const status = ((await response.json()) as { data?: { processing_status?: string } }).data
      ?.processing_status;
    if (status === 'READY') return;
    if (status === 'FAILED' || Date.now() > deadline) throw new Error(`document ${documentId} is ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startConversation(
  url: string,
  token: string,
): Promise<{ id: string; messageId: string }> {
  const started = await must(url, 'mutation { startConversation(title: "Matrix") { id } }', {}, token);
  const sent = await must(
    url,
    'mutation ($c: ID!) { sendMessage(conversationId: $c, text: "What do the matrix notes say?") { id } }',
    { c: started.startConversation.id },
    token,
  );
  return { id: started.startConversation.id, messageId: sent.sendMessage.id };
}

/** Who asks in a cell. */
export function personOf(world: World, cell: PersonCell): Person {
  return world.people[cell.relation][cell.role];
}

/** The owner of the jar (or conversation) a cell is about: the asker for `owner`, else the MEMBER owner. */
export function ownerRoleOf(cell: Cell): Role {
  return cell.who === 'person' && cell.relation === 'owner' ? cell.role : 'MEMBER';
}

export function jarOf(world: World, cell: Cell): JarFixture {
  return world.jars[ownerRoleOf(cell)][cell.jarType!];
}

/**
 * Makes the world; `beforeDemotion` runs once the people exist, while the VIEWER owner is still a MEMBER (to make
 * jars only they can own, e.g. fresh ones for deletions).
 */
export async function buildWorld(
  url: string,
  beforeDemotion: (world: World) => Promise<void>,
): Promise<World> {
  const base = url.replace(/\/graphql$/, '');
  const admin = await signIn(url, ADMIN.email, ADMIN.password);
  const make = (label: string, role: Role) => createPerson(url, admin, label, role);
  const byRole = async (label: string, initially: (role: Role) => Role = (role) => role) =>
    Object.fromEntries(
      await Promise.all(ROLES.map(async (role) => [role, await make(`${label}-${role}`, initially(role))])),
    ) as Record<Role, Person>;
  const [owner, member, other, bystander, victim] = await Promise.all([
    // The VIEWER owner is made a VIEWER below, once the jars only an author can make are theirs.
    byRole('owner', (role) => (role === 'VIEWER' ? 'MEMBER' : role)),
    byRole('member'),
    byRole('other'),
    make('bystander', 'MEMBER'),
    make('victim', 'MEMBER'),
  ]);
  const memberIds = (role: Role) => (role === 'MEMBER' ? ROLES.map((r) => member[r].id) : []);
  const jars = {} as World['jars'];
  const world: World = {
    url,
    base,
    admin,
    people: { owner, member, other },
    bystander,
    victim,
    jars,
    elsewhere: '',
    conversations: {} as World['conversations'],
    alertId: '',
    keys: new Map(),
  };
  // Before the jars every cell asks about, so those stay the newest (the first page of a list).
  await beforeDemotion(world);
  await Promise.all(
    ROLES.map(async (role) => {
      jars[role] = {} as Record<JarType, JarFixture>;
      await Promise.all(
        JAR_TYPES.map(async (type) => {
          const id = await createJar(url, owner[role].session, type, [...memberIds(role), bystander.id]);
          const word = `matrixword${role.toLowerCase()}${type.toLowerCase()}`;
          const documentId = await uploadDocument(
            base,
            owner[role].session,
            id,
            `# Notes\n\nThe ${word} hums.`,
          );
          jars[role][type] = { id, documentId, word };
        }),
      );
    }),
  );
  world.elsewhere = await createJar(url, bystander.session, 'PUBLIC', []);

  await must(
    url,
    'mutation ($id: ID!) { setUserRole(id: $id, role: VIEWER) { id } }',
    { id: owner.VIEWER.id },
    admin,
  );
  owner.VIEWER.session = await signIn(url, owner.VIEWER.email, PASSWORD);

  // Proposals waiting for review (someone else's upload to a PUBLIC jar), and every document ready for search.
  await Promise.all(
    ROLES.map(async (role) => {
      jars[role].PUBLIC.pendingId = await uploadDocument(
        base,
        bystander.session,
        jars[role].PUBLIC.id,
        '# Proposal',
      );
    }),
  );
  await Promise.all(
    ROLES.flatMap((role) =>
      JAR_TYPES.map((type) => waitUntilReady(base, admin, jars[role][type].documentId)),
    ),
  );
  await Promise.all(
    ROLES.map(async (role) => {
      world.conversations[role] = await startConversation(url, owner[role].session);
    }),
  );
  const alert = await must(
    url,
    'mutation ($i: RaiseAlertInput!) { raiseAlert(input: $i) { id } }',
    { i: { severity: 'INFO', source: 'matrix', title: 'Matrix alert', subject: randomUUID() } },
    admin,
  );
  world.alertId = alert.raiseAlert.id;
  return world;
}

/** Creates every API key the cells need (by owner, scopes and restriction). */
export async function createKeys(
  world: World,
  wanted: Iterable<{ person: Person; scopes: readonly ApiKeyScope[]; restricted: boolean }>,
): Promise<void> {
  const pending = new Map<string, { person: Person; scopes: readonly ApiKeyScope[]; restricted: boolean }>();
  for (const want of wanted) pending.set(keySignature(want.person.id, want.scopes, want.restricted), want);
  await Promise.all(
    [...pending].map(async ([signature, { person, scopes, restricted }]) => {
      const data = await must(
        world.url,
        'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }',
        { i: { name: 'matrix', scopes, ...(restricted ? { honeyJarIds: [world.elsewhere] } : {}) } },
        person.session,
      );
      world.keys.set(signature, data.createApiKey.key);
    }),
  );
}
