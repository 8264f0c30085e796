import { describe, expect, it } from '@jest/globals';
import { passkeyFailure } from './passkeys.ts';

const failure = (name: string, message = 'browser words') => Object.assign(new Error(message), { name });
const at = (hostname: string, port = '4000') => ({ protocol: 'http:', hostname, port });

describe('passkeyFailure', () => {
  it('names the address that works when the page is open under another name than the passkeys belong to', () => {
    const error = passkeyFailure(
      failure('SecurityError', '127.0.0.1 is an invalid domain'),
      'localhost',
      at('127.0.0.1'),
    );
    expect(error.message).toBe(
      'Passkeys here belong to localhost: open STING at http://localhost:4000/ to use them.',
    );
  });

  it('words the other refusals for a person, never passing on the browser’s own message', () => {
    expect(passkeyFailure(failure('NotAllowedError'), 'localhost', at('localhost')).message).toBe(
      'The passkey request was cancelled or timed out.',
    );
    expect(passkeyFailure(failure('InvalidStateError'), 'localhost', at('localhost')).message).toBe(
      'This authenticator already holds a passkey for you.',
    );
    // A sub-domain of the relying party is its own: that SecurityError has another cause.
    for (const hostname of ['localhost', 'app.localhost'])
      expect(passkeyFailure(failure('SecurityError'), 'localhost', at(hostname)).message).toBe(
        'The passkey could not be used.',
      );
    expect(passkeyFailure('odd', undefined, at('localhost', '')).message).toBe(
      'The passkey could not be used.',
    );
  });
});
