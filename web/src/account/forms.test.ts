// The rules of the account and admin forms, checked before anything is sent.
import { describe, expect, it } from '@jest/globals';
import { auditFilter } from '../admin/audit-filter';
import { deleteUserInput } from '../admin/delete-user';
import { newPasswordProblem, tokenFromHash } from '../auth/password-rules';
import { codeProblem, normalizeCode } from '../auth/second-factor-code';
import { apiKeyInput, scopesFor, type ApiKeyForm } from './api-key-form';
import { describeClient } from './format';

const form = (over: Partial<ApiKeyForm> = {}): ApiKeyForm => ({
  name: 'nightly export',
  scopes: ['search', 'honey-jars:read'],
  expiry: '30',
  expiryDate: '',
  honeyJarIds: [],
  ...over,
});
const now = new Date('2026-11-30T12:00:00.000Z');

describe('scopesFor', () => {
  const offered = (role: Parameters<typeof scopesFor>[0]) => scopesFor(role).map((s) => s.scope);
  const writes = ['honey-jars:write', 'documents:write'];

  it('offers the admin scope to administrators only', () => {
    expect(offered('ADMIN')).toContain('admin');
    expect(offered('MEMBER')).toEqual(offered('ADMIN').filter((scope) => scope !== 'admin'));
    for (const role of ['VIEWER', null] as const) expect(offered(role)).not.toContain('admin');
  });

  it('offers the write scopes to members and administrators, never to a viewer', () => {
    for (const role of ['ADMIN', 'MEMBER'] as const)
      expect(offered(role)).toEqual(expect.arrayContaining(writes));
    for (const role of ['VIEWER', null] as const)
      expect(offered(role)).toEqual(['honey-jars:read', 'search', 'bee:chat']);
  });
});

describe('apiKeyInput', () => {
  it('builds the input: trimmed name, scopes in their listed order, expiry from now, no jar restriction', () => {
    expect(apiKeyInput(form({ name: '  nightly export ' }), now)).toEqual({
      input: {
        name: 'nightly export',
        scopes: ['honey-jars:read', 'search'],
        expiresAt: '2026-12-30T12:00:00.000Z',
        honeyJarIds: null,
      },
    });
    const restricted = apiKeyInput(form({ expiry: 'never', honeyJarIds: ['j-1', 'j-2'] }), now);
    expect(restricted).toMatchObject({ input: { expiresAt: null, honeyJarIds: ['j-1', 'j-2'] } });
  });

  it('refuses a missing or long name, no scope, and a missing or past expiry date', () => {
    expect(apiKeyInput(form({ name: '   ' }), now)).toEqual({ problem: expect.stringMatching(/name/) });
    expect(apiKeyInput(form({ name: 'k'.repeat(81) }), now)).toEqual({
      problem: expect.stringMatching(/80/),
    });
    expect(apiKeyInput(form({ scopes: [] }), now)).toEqual({ problem: 'Choose at least one scope.' });
    expect(apiKeyInput(form({ expiry: 'date', expiryDate: '' }), now)).toEqual({
      problem: expect.stringMatching(/day/),
    });
    expect(apiKeyInput(form({ expiry: 'date', expiryDate: '2026-11-01' }), now)).toEqual({
      problem: 'The expiry date must be in the future.',
    });
    const dated = apiKeyInput(form({ expiry: 'date', expiryDate: '2027-01-15' }), now);
    expect('input' in dated && new Date(dated.input.expiresAt!).getTime()).toBe(
      new Date('2027-01-15T23:59:59').getTime(),
    );
  });
});

describe('second factor codes', () => {
  it('takes six digits (spaces dropped) or a recovery code as written', () => {
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(normalizeCode(' abcd-efgh ')).toBe('abcd-efgh');
    expect(codeProblem('123 456')).toBeNull();
    expect(codeProblem('abcd-efgh')).toBeNull();
    expect(codeProblem('')).toMatch(/Enter/);
    expect(codeProblem('12345')).toMatch(/6 digits/);
    expect(codeProblem('abc')).toMatch(/neither/);
    expect(codeProblem('abcd-efgh', { allowRecovery: false })).toMatch(/6 digits/);
  });
});

describe('new passwords', () => {
  it('needs 12 characters and the same twice', () => {
    expect(newPasswordProblem('short', 'short')).toMatch(/at least 12/);
    expect(newPasswordProblem('long enough pass', 'long enough pas')).toBe('The two new passwords differ.');
    expect(newPasswordProblem('long enough pass', 'long enough pass')).toBeNull();
  });

  it('reads the reset token from the fragment only', () => {
    expect(tokenFromHash('#token=abc-123_x')).toBe('abc-123_x');
    expect(tokenFromHash('#other=1')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });
});

describe('deleteUserInput', () => {
  it('transfers to a picked person other than the one deleted, or deletes the jars', () => {
    expect(deleteUserInput('u-1', { honeyJars: 'DELETE', transferTo: null })).toEqual({
      input: { id: 'u-1', honeyJars: 'DELETE' },
    });
    expect(deleteUserInput('u-1', { honeyJars: 'TRANSFER', transferTo: null })).toEqual({
      problem: 'Pick the person who receives the honey jars.',
    });
    expect(
      deleteUserInput('u-1', { honeyJars: 'TRANSFER', transferTo: { id: 'u-1', displayName: 'Self' } }),
    ).toEqual({
      problem: expect.stringMatching(/someone other/),
    });
    expect(
      deleteUserInput('u-1', { honeyJars: 'TRANSFER', transferTo: { id: 'u-2', displayName: 'Bo' } }),
    ).toEqual({
      input: { id: 'u-1', honeyJars: 'TRANSFER', transferTo: 'u-2' },
    });
  });
});

describe('auditFilter', () => {
  it('leaves out empty fields and turns local times into instants', () => {
    expect(auditFilter({ actor: ' ', action: 'auth.sign_in', outcome: 'FAILURE', from: '', to: '' })).toEqual(
      {
        filter: { action: 'auth.sign_in', outcome: 'FAILURE' },
      },
    );
    const ranged = auditFilter({
      actor: 'u-1',
      action: '',
      outcome: '',
      from: '2026-11-01T08:00',
      to: '2026-11-02T08:00',
    });
    expect(ranged).toEqual({
      filter: {
        actor: 'u-1',
        from: new Date('2026-11-01T08:00').toISOString(),
        to: new Date('2026-11-02T08:00').toISOString(),
      },
    });
  });

  it('refuses a range that ends before it starts', () => {
    expect(
      auditFilter({ actor: '', action: '', outcome: '', from: '2026-11-02T08:00', to: '2026-11-01T08:00' }),
    ).toEqual({
      problem: 'The time range ends before it starts.',
    });
  });
});

describe('describeClient', () => {
  it('names the browser and system a person recognises', () => {
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0';
    expect(describeClient(edge)).toBe('Edge on Windows');
    expect(describeClient('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe(
      'Firefox on Linux',
    );
    expect(describeClient('curl/8.5.0')).toBe('curl/8.5.0');
    expect(describeClient(null)).toBe('Unknown client');
  });
});
