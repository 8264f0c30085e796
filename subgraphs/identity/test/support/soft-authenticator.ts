// A software WebAuthn authenticator built from the spec (WebAuthn Level 2, §6.1 authenticator data, §6.5.4
// attested credential data, §8.7 'none' attestation), for tests: ES256 key pairs, discoverable credentials, a
// signature counter, and the browser's part (clientDataJSON with type, challenge and origin). Every field can be
// bent to check that the server refuses it.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// --- just enough CBOR (RFC 8949) for attestation objects and COSE keys: unsigned and negative integers, byte
// and text strings, and maps.
function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(length, 1);
  return b;
}

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer) => data.toString('base64url');

// Authenticator data flags (§6.1).
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

interface Credential {
  id: Buffer;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

/** What a test may bend in one ceremony. */
export interface Bend {
  origin?: string;
  challenge?: string;
  rpId?: string;
  type?: string;
  userVerified?: boolean;
  /** Counter to report (an authenticator normally counts up). */
  counter?: number;
  /** Flip a bit of the signature. */
  badSignature?: boolean;
}

/** What the browser hands the page (PublicKeyCredential.toJSON()), as JSON text. */
function publicKeyCredential(credential: Credential, response: Record<string, unknown>): string {
  return JSON.stringify({
    id: b64url(credential.id),
    rawId: b64url(credential.id),
    type: 'public-key',
    authenticatorAttachment: 'platform',
    clientExtensionResults: {},
    response,
  });
}

export class SoftAuthenticator {
  readonly credentials: Credential[] = [];
  readonly aaguid = Buffer.alloc(16);

  readonly origin: string;

  constructor(origin: string) {
    this.origin = origin;
  }

  private clientData(type: string, challenge: string, bend: Bend): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: bend.type ?? type,
        challenge: bend.challenge ?? challenge,
        origin: bend.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  private flags(bend: Bend, extra = 0): number {
    return UP | (bend.userVerified === false ? 0 : UV) | extra;
  }

  /** navigator.credentials.create: answers creation options (JSON) with a RegistrationResponseJSON (text). */
  register(optionsJson: string, bend: Bend = {}): string {
    const options = JSON.parse(optionsJson) as {
      challenge: string;
      rp: { id: string };
      user: { id: string };
    };
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(
      new Map<number, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const credential: Credential = {
      id: randomBytes(16),
      rpId: bend.rpId ?? options.rp.id,
      userHandle: options.user.id,
      privateKey,
      counter: bend.counter ?? 0,
    };
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.counter);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      sha256(credential.rpId),
      Buffer.from([this.flags(bend, AT)]),
      counter,
      this.aaguid,
      idLength,
      credential.id,
      cose,
    ]);
    const attestationObject = cbor(
      new Map<string, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    this.credentials.push(credential);
    return publicKeyCredential(credential, {
      clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, bend)),
      attestationObject: b64url(attestationObject),
      transports: ['internal'],
    });
  }

  /**
   * navigator.credentials.get: answers request options (JSON) with an AuthenticationResponseJSON (text), using
   * a listed credential, or any of this relying party's (discoverable) when none are listed.
   */
  signIn(optionsJson: string, bend: Bend = {}): string {
    const options = JSON.parse(optionsJson) as {
      challenge: string;
      rpId: string;
      allowCredentials?: { id: string }[];
    };
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [];
    const credential = this.credentials.find(
      (c) => c.rpId === options.rpId && (allowed.length === 0 || allowed.includes(b64url(c.id))),
    );
    if (!credential) throw new Error('No credential for this relying party');
    credential.counter = bend.counter ?? credential.counter + 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.counter);
    const authData = Buffer.concat([
      sha256(bend.rpId ?? credential.rpId),
      Buffer.from([this.flags(bend)]),
      counter,
    ]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, bend);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      credential.privateKey,
    );
    if (bend.badSignature) signature[signature.length - 1] ^= 0x01;
    return publicKeyCredential(credential, {
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authData),
      signature: b64url(signature),
      userHandle: credential.userHandle,
    });
  }
}
