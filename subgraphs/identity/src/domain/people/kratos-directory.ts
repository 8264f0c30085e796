// Kratos mode: people are kept in Ory Kratos, changed through its admin API (@ory/client's IdentityApi). The
// role lives in the identity's `metadata_public.role`, a disabled person's identity is `inactive` (and their
// Kratos sessions are revoked), the name and email are the traits `name` and `email`.
import { Configuration, IdentityApi, type Identity } from '@ory/client';
import { BadUserInputError, ErrorCode, NotFoundError, StingError, type Role } from '@sting/kit';
import type { DirectoryPerson, PeopleDirectory } from './directory.ts';

const UNAVAILABLE = 'The identity provider could not be reached; nothing was changed';

/** The HTTP answer Kratos gave, when it gave one (the client rejects with it on a non-2xx status). */
function answerOf(err: unknown): { status: number; data?: unknown } | undefined {
  const response = (err as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  return typeof response?.status === 'number' ? { status: response.status, data: response.data } : undefined;
}

/** Kratos's answer as STING's typed errors: its 4xx are the caller's, anything else means it is unavailable. */
function translated(err: unknown, field: string): Error {
  const answer = answerOf(err);
  if (answer) {
    const status = answer.status;
    const body = answer.data as { error?: { message?: string; reason?: string } } | undefined;
    const reason = body?.error?.reason ?? body?.error?.message ?? 'The identity provider refused the change';
    if (status === 404) return new NotFoundError('No such user');
    if (status === 409) return new BadUserInputError('A user with this email already exists', 'email');
    if (status >= 400 && status < 500) return new BadUserInputError(reason, field);
  }
  return new StingError(ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE);
}

async function call<T>(field: string, run: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await run()).data;
  } catch (err) {
    throw translated(err, field);
  }
}

export class KratosDirectory implements PeopleDirectory {
  readonly #identities: IdentityApi;

  constructor(adminUrl: string, timeoutMs = 5000) {
    this.#identities = new IdentityApi(
      new Configuration({ basePath: adminUrl, baseOptions: { timeout: timeoutMs } }),
    );
  }

  async createPerson(input: {
    email: string;
    displayName: string;
    password: string;
    role: Role;
  }): Promise<DirectoryPerson> {
    const identity: Identity = await call('email', () =>
      this.#identities.createIdentity({
        createIdentityBody: {
          schema_id: 'default',
          traits: { email: input.email, name: input.displayName },
          metadata_public: { role: input.role },
          credentials: { password: { config: { password: input.password } } },
          state: 'active',
        },
      }),
    );
    return { id: identity.id, email: input.email, displayName: input.displayName, role: input.role };
  }

  async setRole(id: string, role: Role): Promise<void> {
    // Other public metadata stays: the role is merged into what Kratos holds.
    const current = await call('id', () => this.#identities.getIdentity({ id }));
    const metadata = (current.metadata_public ?? {}) as Record<string, unknown>;
    await call('role', () =>
      this.#identities.patchIdentity({
        id,
        jsonPatch: [{ op: 'add', path: '/metadata_public', value: { ...metadata, role } }],
      }),
    );
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await call('id', () =>
      this.#identities.patchIdentity({
        id,
        jsonPatch: [{ op: 'replace', path: '/state', value: disabled ? 'inactive' : 'active' }],
      }),
    );
    // An inactive identity's sessions end too, at Kratos as here.
    if (disabled) await call('id', () => this.#identities.deleteIdentitySessions({ id }));
  }

  async deletePerson(id: string): Promise<void> {
    try {
      await this.#identities.deleteIdentity({ id });
    } catch (err) {
      // Already gone at Kratos: the local copy still goes.
      if (answerOf(err)?.status === 404) return;
      throw translated(err, 'id');
    }
  }
}
