// The browser half of the WebAuthn ceremonies. The server hands out options as JSON and takes the
// authenticator's answer back as JSON; @simplewebauthn/browser converts between that JSON (base64url) and the
// ArrayBuffers navigator.credentials speaks. It is loaded only when someone actually uses a passkey.

/** Whether this browser can use passkeys at all. */
export function passkeysSupported(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';
}

/** Asks an authenticator to sign the server's challenge; answers the response as JSON for finishPasskeySignIn. */
export async function passkeyAssertion(optionsJson: string): Promise<string> {
  const { startAuthentication } = await import('@simplewebauthn/browser');
  const options = JSON.parse(optionsJson) as { rpId?: string };
  return answer(startAuthentication({ optionsJSON: options as never }), options.rpId);
}

/** Asks an authenticator to make a new passkey; answers the response as JSON for finishPasskeyRegistration. */
export async function passkeyAttestation(optionsJson: string): Promise<string> {
  const { startRegistration } = await import('@simplewebauthn/browser');
  const options = JSON.parse(optionsJson) as { rp?: { id?: string } };
  return answer(startRegistration({ optionsJSON: options as never }), options.rp?.id);
}

/** The authenticator's response as JSON, or a failure worded for the person. */
async function answer(response: Promise<unknown>, rpId: string | undefined): Promise<string> {
  try {
    return JSON.stringify(await response);
  } catch (error) {
    throw passkeyFailure(error, rpId, window.location);
  }
}

/**
 * What to tell a person when the browser's passkey prompt failed or was dismissed. Passkeys belong to one domain
 * (the relying party); opened under another name (127.0.0.1 for localhost), the browser refuses with a
 * SecurityError that says nothing a person can act on, so the address that works is named instead.
 */
export function passkeyFailure(
  error: unknown,
  rpId: string | undefined,
  at: Pick<Location, 'protocol' | 'hostname' | 'port'>,
): Error {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError')
    return new Error('The passkey request was cancelled or timed out.');
  if (name === 'InvalidStateError') return new Error('This authenticator already holds a passkey for you.');
  if (name === 'SecurityError' && rpId && at.hostname !== rpId && !at.hostname.endsWith(`.${rpId}`)) {
    const there = `${at.protocol}//${rpId}${at.port ? `:${at.port}` : ''}/`;
    return new Error(`Passkeys here belong to ${rpId}: open STING at ${there} to use them.`);
  }
  return new Error('The passkey could not be used.');
}
