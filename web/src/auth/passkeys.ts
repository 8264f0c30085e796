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
  return answer(startAuthentication({ optionsJSON: JSON.parse(optionsJson) }));
}

/** Asks an authenticator to make a new passkey; answers the response as JSON for finishPasskeyRegistration. */
export async function passkeyAttestation(optionsJson: string): Promise<string> {
  const { startRegistration } = await import('@simplewebauthn/browser');
  return answer(startRegistration({ optionsJSON: JSON.parse(optionsJson) }));
}

/** The authenticator's response as JSON, or a failure worded for the person. */
async function answer(response: Promise<unknown>): Promise<string> {
  try {
    return JSON.stringify(await response);
  } catch (error) {
    throw passkeyFailure(error);
  }
}

/** What to tell a person when the browser's passkey prompt failed or was dismissed. */
function passkeyFailure(error: unknown): Error {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError')
    return new Error('The passkey request was cancelled or timed out.');
  if (name === 'InvalidStateError') return new Error('This authenticator already holds a passkey for you.');
  return error instanceof Error ? error : new Error('The passkey could not be used.');
}
