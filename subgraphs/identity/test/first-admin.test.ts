// The first administrator of a fresh installation: from configuration, or generated and printed once.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { User } from '../src/entities/user.ts';
import { announceGeneratedPassword, ensureFirstAdmin } from '../src/domain/first-admin.ts';
import { identitySettings } from '../src/domain/settings.ts';
import { login } from '../src/domain/sessions.ts';
import { uniqueEmail } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

describe('first admin', () => {
  it('generates a password, prints it once, and does nothing once an admin exists', async () => {
    const email = uniqueEmail('admin');
    // As the config loader hands it over, STING_ADMIN_EMAIL applied and resolved; no password configured.
    const settings = identitySettings({ identity: { admin: { email, password: null } } });
    const admin = await ensureFirstAdmin(t.em(), settings);
    expect(admin?.email).toBe(email);
    expect(admin?.generatedPassword?.length).toBeGreaterThanOrEqual(20);

    const printed: string[] = [];
    announceGeneratedPassword(admin!, (s) => printed.push(s));
    expect(printed.join('')).toContain(admin!.generatedPassword);

    const session = await login(t.em(), email, admin!.generatedPassword!);
    expect(session.user.role).toBe('ADMIN');

    expect(await ensureFirstAdmin(t.em(), settings)).toBeNull();
    expect(await t.em().count(User, { role: 'ADMIN' })).toBe(1);
  });

  it('names the setting when the configured password is refused', async () => {
    const settings = identitySettings({
      identity: { admin: { email: uniqueEmail('weak'), password: 'Password2024!' } },
    });
    // As on a fresh installation: no administrator yet (undone with the transaction).
    const em = t.em().fork();
    await em.begin();
    try {
      await em.nativeUpdate(User, { role: 'ADMIN' }, { role: 'MEMBER' });
      await expect(ensureFirstAdmin(em, settings)).rejects.toThrow(
        /^identity\.admin\.password \(STING_ADMIN_PASSWORD\): Password is too common/,
      );
    } finally {
      await em.rollback();
    }
  });

  it('uses configured credentials and prints nothing', () => {
    const settings = identitySettings({
      identity: { admin: { email: 'a@b.test', password: 'from config file' } },
    });
    expect(settings.admin).toEqual({ email: 'a@b.test', password: 'from config file' });
    const printed: string[] = [];
    announceGeneratedPassword({ email: 'a@b.test' }, (s) => printed.push(s));
    expect(printed).toEqual([]);
  });

  it('ignores unresolved secret references and defaults the session lifetime', () => {
    const settings = identitySettings({ identity: { admin: { password: 'env:STING_ADMIN_PASSWORD' } } });
    expect(settings.admin.password).toBeUndefined();
    expect(settings.sessions).toEqual({ idleTimeoutMinutes: 720, absoluteLifetimeHours: 24 });
  });
});

describe('onStart', () => {
  it('creates the configured admin once, even when replicas start together', async () => {
    const email = uniqueEmail('configured');
    const fresh = await startTestRuntime(subgraph, {
      config: { identity: { admin: { email, password: 'configured password' } } },
    });
    try {
      await Promise.all([subgraph.onStart!(fresh.runtime), subgraph.onStart!(fresh.runtime)]);
      const admins = await fresh.em().find(User, { role: 'ADMIN' });
      expect(admins.map((a) => a.email)).toEqual([email]);
      expect((await login(fresh.em(), email, 'configured password')).user.id).toBe(admins[0].id);
    } finally {
      await fresh.close();
    }
  });
});
