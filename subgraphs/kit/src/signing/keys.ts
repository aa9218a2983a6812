import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  sign as signBytes,
  webcrypto,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';

import {
  createLocalJWKSet,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';

import { verifyHmacJwt, type HmacJwtClaimOptions } from './compactJwt.js';
import { SigningKeyError } from './errors.js';

/** The JWS algorithms govgraph signs subgraph calls with. */
export type SigningAlgorithm = 'HS256' | 'ES256' | 'RS256';

/** Fewest bytes an HS256 secret may have (RFC 7518, section 3.2). */
export const MIN_SECRET_BYTES = 32;

/** The gateway's half of a call-signing key: it produces compact JWS. */
export interface SigningKey {
  /** The one algorithm this key signs with. */
  readonly alg: SigningAlgorithm;
  /**
   * Signs `payload` as a compact JWS whose protected header is
   * `{ alg, typ }` (plus `kid` when the key has one).
   */
  sign(payload: JWTPayload, header: { typ: string }): Promise<string>;
  /**
   * Signs a payload already serialised as JSON (a JSON object's text) as a
   * compact JWS, synchronously with node:crypto — the same token
   * {@link SigningKey.sign} makes, without jose's per-call promises and
   * WebCrypto round trips (about 10 µs for HS256 instead of 130 µs).
   */
  signJson(payloadJson: string, header: { typ: string }): string;
}

/**
 * Compact-JWS signing with node:crypto: the base64url protected header is
 * encoded once per `typ`; `signature` signs `header.payload` (ASCII).
 */
function compactSigner(
  alg: SigningAlgorithm,
  signature: (input: string) => string,
  kid?: string,
): Pick<SigningKey, 'sign' | 'signJson'> {
  const headers = new Map<string, string>();
  const signJson = (payloadJson: string, header: { typ: string }): string => {
    let encoded = headers.get(header.typ);
    if (encoded === undefined) {
      encoded = Buffer.from(
        JSON.stringify({
          alg,
          typ: header.typ,
          ...(kid === undefined ? {} : { kid }),
        }),
      ).toString('base64url');
      headers.set(header.typ, encoded);
    }
    const input = `${encoded}.${Buffer.from(payloadJson).toString('base64url')}`;
    return `${input}.${signature(input)}`;
  };
  return {
    signJson,
    sign: (payload, header) =>
      Promise.resolve(signJson(JSON.stringify(payload), header)),
  };
}

/** A subgraph's half of a call-signing key: it checks compact JWS. */
export interface VerificationKey {
  /** The one algorithm this key accepts; tokens with any other fail. */
  readonly alg: SigningAlgorithm;
  /**
   * Checks the token's signature and the claims `options` ask for (jose's
   * `jwtVerify`), accepting {@link VerificationKey.alg} only; throws jose's
   * errors.
   */
  verify(
    token: string,
    options: Omit<JWTVerifyOptions, 'algorithms'>,
  ): Promise<JWTPayload>;
}

/**
 * An HS256 key: it signs, and besides jose's asynchronous check it checks
 * call signatures synchronously with node:crypto ({@link verifyHmacJwt}).
 */
export interface HmacKey extends SigningKey, VerificationKey {
  readonly alg: 'HS256';
  /**
   * {@link VerificationKey.verify} without promises or WebCrypto: the same
   * checks, jose's errors.
   */
  verifySync(token: string, options: HmacJwtClaimOptions): JWTPayload;
}

/**
 * An HS256 key from a shared secret of at least {@link MIN_SECRET_BYTES}
 * bytes (a string counts its UTF-8 bytes). It both signs and verifies: the
 * gateway and every subgraph hold the same secret. Meant for development
 * and single-host deployments; across hosts prefer ES256 or RS256.
 */
export function createHmacKey(secret: string | Uint8Array): HmacKey {
  const bytes =
    typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (bytes.byteLength < MIN_SECRET_BYTES) {
    throw new SigningKeyError(
      `an HS256 signing secret must be at least ${MIN_SECRET_BYTES} bytes long`,
    );
  }
  // Imported once: jose would import raw bytes again on every call.
  const key: Promise<CryptoKey> = webcrypto.subtle.importKey(
    'raw',
    new Uint8Array(bytes),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  const secretKey = createSecretKey(new Uint8Array(bytes));
  const hmac = (input: string): Buffer =>
    createHmac('sha256', secretKey).update(input).digest();
  return {
    alg: 'HS256',
    ...compactSigner('HS256', (input) => hmac(input).toString('base64url')),
    verifySync: (token, options) => verifyHmacJwt(token, hmac, options),
    verify: async (token, options) =>
      (
        await jwtVerify(token, await key, {
          ...options,
          algorithms: ['HS256'],
        })
      ).payload,
  };
}

/**
 * An ES256 or RS256 signing key from a PEM private key (PKCS #8, SEC 1 or
 * PKCS #1). The algorithm follows from the key: EC P-256 → ES256, RSA of at
 * least 2048 bits → RS256.
 */
export async function importPrivateKeyPem(
  pem: string,
  options: { kid?: string } = {},
): Promise<SigningKey> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(pem);
  } catch (cause) {
    throw new SigningKeyError('not a PEM private key', { cause });
  }
  const alg = asymmetricAlgorithm(keyObject);
  // ES256 signatures are the raw r‖s pair in JWS (RFC 7518, section 3.4),
  // not DER; RS256 is RSASSA-PKCS1-v1_5 with SHA-256.
  const dsaEncoding = alg === 'ES256' ? 'ieee-p1363' : undefined;
  return {
    alg,
    ...compactSigner(
      alg,
      (input) =>
        signBytes('sha256', Buffer.from(input), {
          key: keyObject,
          ...(dsaEncoding === undefined ? {} : { dsaEncoding }),
        }).toString('base64url'),
      options.kid,
    ),
  };
}

/**
 * An ES256 or RS256 verification key from a PEM public key (SPKI) or
 * certificate; the algorithm follows from the key as in
 * {@link importPrivateKeyPem}.
 */
export async function importPublicKeyPem(
  pem: string,
): Promise<VerificationKey> {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new SigningKeyError(
      'a private key was given where a public key belongs: give subgraphs the public key only',
    );
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey(pem);
  } catch (cause) {
    throw new SigningKeyError('not a PEM public key', { cause });
  }
  const alg = asymmetricAlgorithm(keyObject);
  const key: CryptoKey = await importSPKI(
    keyObject.export({ type: 'spki', format: 'pem' }).toString(),
    alg,
  );
  return {
    alg,
    verify: async (token, options) =>
      (await jwtVerify(token, key, { ...options, algorithms: [alg] })).payload,
  };
}

/**
 * A verification key from a JSON Web Key Set (RFC 7517) of public ES256 or
 * RS256 keys, all of one algorithm; a token's `kid` picks the key. Lets the
 * gateway's key be rotated by publishing the next key before using it.
 */
export function createJwksVerificationKey(
  jwks: JSONWebKeySet,
): VerificationKey {
  if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new SigningKeyError('the JSON Web Key Set has no keys');
  }
  const algorithms = new Set(jwks.keys.map(jwkAlgorithm));
  const [alg] = algorithms;
  if (alg === undefined || algorithms.size !== 1) {
    throw new SigningKeyError(
      'every key of the JSON Web Key Set must use the same algorithm',
    );
  }
  const resolve: JWTVerifyGetKey = createLocalJWKSet(jwks);
  return {
    alg,
    verify: async (token, options) =>
      (await jwtVerify(token, resolve, { ...options, algorithms: [alg] }))
        .payload,
  };
}

/** Reads a PEM private key file for {@link importPrivateKeyPem}. */
export async function readSigningKeyFile(path: string): Promise<SigningKey> {
  return importPrivateKeyPem(await readKeyFile(path));
}

/**
 * Reads a verification key file: a PEM public key, or a JSON Web Key Set
 * (a file that starts with `{`).
 */
export async function readVerificationKeyFile(
  path: string,
): Promise<VerificationKey> {
  const text = (await readKeyFile(path)).trim();
  if (!text.startsWith('{')) return importPublicKeyPem(text);
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(text) as JSONWebKeySet;
  } catch (cause) {
    throw new SigningKeyError(`${path} is not valid JSON`, { cause });
  }
  return createJwksVerificationKey(jwks);
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new SigningKeyError(`cannot read key file ${path}`, { cause });
  }
}

function asymmetricAlgorithm(key: KeyObject): SigningAlgorithm {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails;
  if (type === 'ec' && details?.namedCurve === 'prime256v1') return 'ES256';
  if (type === 'rsa' && (details?.modulusLength ?? 0) >= 2048) return 'RS256';
  throw new SigningKeyError(
    'unsupported key: use an EC P-256 key (ES256) or an RSA key of at least 2048 bits (RS256)',
  );
}

function jwkAlgorithm(jwk: JWK): SigningAlgorithm {
  if ('d' in jwk || jwk.kty === 'oct') {
    throw new SigningKeyError(
      'the JSON Web Key Set holds a private or symmetric key: give subgraphs public keys only',
    );
  }
  const inferred =
    jwk.kty === 'EC' && jwk.crv === 'P-256'
      ? 'ES256'
      : jwk.kty === 'RSA'
        ? 'RS256'
        : undefined;
  if (
    inferred === undefined ||
    (jwk.alg !== undefined && jwk.alg !== inferred)
  ) {
    throw new SigningKeyError(
      'the JSON Web Key Set may hold only EC P-256 (ES256) and RSA (RS256) public keys',
    );
  }
  return inferred;
}
