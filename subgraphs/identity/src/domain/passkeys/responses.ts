// Browser responses arrive as JSON text; they are parsed into the shapes @simplewebauthn/server checks, and
// anything else is BAD_USER_INPUT before any verification runs.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { BadUserInputError } from '@sting/kit';

const MAX_RESPONSE_CHARS = 64 * 1024;

function parse(text: string): Record<string, unknown> {
  if (text.length > MAX_RESPONSE_CHARS)
    throw new BadUserInputError('The passkey response is too large', 'response');
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new BadUserInputError('The passkey response is not valid JSON', 'response');
}

function hasFields(value: Record<string, unknown>, fields: string[]): boolean {
  const inner = value.response as Record<string, unknown> | undefined;
  return (
    typeof value.id === 'string' &&
    typeof value.rawId === 'string' &&
    value.type === 'public-key' &&
    !!inner &&
    typeof inner === 'object' &&
    fields.every((f) => typeof inner[f] === 'string')
  );
}

export function registrationResponse(text: string): RegistrationResponseJSON {
  const value = parse(text);
  if (!hasFields(value, ['clientDataJSON', 'attestationObject']))
    throw new BadUserInputError('Not a passkey registration response', 'response');
  return { clientExtensionResults: {}, ...value } as unknown as RegistrationResponseJSON;
}

export function authenticationResponse(text: string): AuthenticationResponseJSON {
  const value = parse(text);
  if (!hasFields(value, ['clientDataJSON', 'authenticatorData', 'signature']))
    throw new BadUserInputError('Not a passkey sign-in response', 'response');
  return { clientExtensionResults: {}, ...value } as unknown as AuthenticationResponseJSON;
}
