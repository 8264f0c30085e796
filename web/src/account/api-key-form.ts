// The API key form's rules, kept apart from the component so they are checked on their own: a name, at least
// one scope (of those the person's role may give), an expiry in the future (or none), and an optional restriction
// to some honey jars.
import type { Role } from '../gql/graphql';

const API_KEY_SCOPES: readonly { scope: string; label: string; adminOnly?: true; write?: true }[] = [
  { scope: 'honey-jars:read', label: 'Read honey jars and their documents' },
  { scope: 'honey-jars:write', label: 'Create and change honey jars', write: true },
  { scope: 'documents:write', label: 'Upload and change documents', write: true },
  { scope: 'search', label: 'Search' },
  { scope: 'bee:chat', label: 'Ask Bee' },
  { scope: 'admin', label: 'Administration (needs a fresh second factor)', adminOnly: true },
];

/** Whether a person with this role may change honey jars and documents: a viewer (or an unknown role) may not. */
function canWrite(role: Role | null | undefined): boolean {
  return role === 'ADMIN' || role === 'MEMBER';
}

/**
 * The scopes a person with this role may give a key: the server refuses the admin scope to anyone but an
 * administrator, and the write scopes to a viewer.
 */
export function scopesFor(role: Role | null | undefined): typeof API_KEY_SCOPES {
  return API_KEY_SCOPES.filter((s) => (!s.adminOnly || role === 'ADMIN') && (!s.write || canWrite(role)));
}

export const EXPIRY_CHOICES = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'date', label: 'On a date…' },
  { value: 'never', label: 'Never' },
] as const;

export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

export interface ApiKeyForm {
  name: string;
  scopes: readonly string[];
  expiry: ExpiryChoice;
  /** yyyy-mm-dd from a date input, used when expiry is 'date'. */
  expiryDate: string;
  honeyJarIds: readonly string[];
}

export interface ApiKeyInput {
  name: string;
  scopes: string[];
  expiresAt: string | null;
  honeyJarIds: string[] | null;
}

/** The createApiKey input for the form, or the first thing wrong with it. */
export function apiKeyInput(
  form: ApiKeyForm,
  now = new Date(),
): { input: ApiKeyInput } | { problem: string } {
  const name = form.name.trim();
  if (!name) return { problem: 'Give the key a name, e.g. the script that uses it.' };
  if (name.length > 80) return { problem: 'A key name has at most 80 characters.' };
  if (form.scopes.length === 0) return { problem: 'Choose at least one scope.' };
  let expiresAt: string | null = null;
  if (form.expiry === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.expiryDate)) return { problem: 'Choose the day the key expires.' };
    // The key lasts through the chosen day, in the person's own time zone.
    const end = new Date(`${form.expiryDate}T23:59:59`);
    if (Number.isNaN(end.getTime()) || end <= now)
      return { problem: 'The expiry date must be in the future.' };
    expiresAt = end.toISOString();
  } else if (form.expiry !== 'never') {
    expiresAt = new Date(now.getTime() + Number(form.expiry) * 86_400_000).toISOString();
  }
  return {
    input: {
      name,
      scopes: API_KEY_SCOPES.map((s) => s.scope).filter((scope) => form.scopes.includes(scope)),
      expiresAt,
      honeyJarIds: form.honeyJarIds.length > 0 ? [...form.honeyJarIds] : null,
    },
  };
}
