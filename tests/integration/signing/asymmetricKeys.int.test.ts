import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { exportJWK, importSPKI, SignJWT } from 'jose';

import {
  bodyHash,
  createHmacKey,
  createJwksVerificationKey,
  importPrivateKeyPem,
  importPublicKeyPem,
  SIGNATURE_HEADER,
  SIGNATURE_TYPE,
  type SigningKey,
  type VerificationKey,
} from '../../../subgraphs/kit/src/index.js';
import { marketSubgraph } from '../../../subgraphs/market/src/marketSubgraph.js';
import {
  postBody,
  signedPostGraphQL,
  startSubgraph,
  type GraphQLResponse,
  type TestSubgraph,
} from '../../utils/graphql.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';

const QUERY = '{ enterprises { totalCount } }';

function ecPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function rsaPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  return {
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function assertRefused(res: GraphQLResponse, reason: RegExp): void {
  assert.equal(res.status, 401, res.text);
  assert.equal(res.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
  assert.match(res.errors?.[0]?.message ?? '', reason);
  assert.doesNotMatch(res.text, /BEGIN|PRIVATE/);
}

describe('signed subgraph calls with asymmetric keys', () => {
  let tdb: TestDatabase;
  const started: TestSubgraph[] = [];

  before(async () => {
    tdb = await createTestDatabase();
  });
  after(async () => {
    for (const s of started) await s.close();
    await tdb.drop();
  });

  async function start(
    callKey: VerificationKey,
    signing: SigningKey,
  ): Promise<TestSubgraph> {
    const served = await startSubgraph(marketSubgraph, tdb.db, {
      callKey,
      signing,
    });
    started.push(served);
    return served;
  }

  describe('ES256: private key PEM on the gateway, public key PEM on the subgraph', () => {
    const gatewayKeys = ecPair();
    let subgraph: TestSubgraph;

    before(async () => {
      subgraph = await start(
        await importPublicKeyPem(gatewayKeys.publicPem),
        await importPrivateKeyPem(gatewayKeys.privatePem),
      );
    });

    it('accepts a call signed with the gateway private key', async () => {
      const res = await subgraph.post(QUERY);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.data, { enterprises: { totalCount: 0 } });
    });

    it('refuses a call signed with another EC key', async () => {
      const other = await importPrivateKeyPem(ecPair().privatePem);
      const res = await signedPostGraphQL(
        subgraph.url,
        { audience: 'market', key: other },
        QUERY,
      );
      assertRefused(res, /made with another key, or altered/);
    });

    it('refuses HS256 with the public key as the secret (algorithm confusion)', async () => {
      const res = await signedPostGraphQL(
        subgraph.url,
        { audience: 'market', key: createHmacKey(gatewayKeys.publicPem) },
        QUERY,
      );
      assertRefused(
        res,
        /algorithm is not accepted: this subgraph expects ES256/,
      );
    });

    it('refuses a call signed with an RSA key (RS256)', async () => {
      const rsa = await importPrivateKeyPem(rsaPair().privatePem);
      assert.equal(rsa.alg, 'RS256');
      const res = await signedPostGraphQL(
        subgraph.url,
        { audience: 'market', key: rsa },
        QUERY,
      );
      assertRefused(res, /algorithm is not accepted/);
    });
  });

  describe('RS256: private key PEM (PKCS #1) on the gateway', () => {
    it('accepts a call signed with the gateway private key, refuses another', async () => {
      const keys = rsaPair();
      const subgraph = await start(
        await importPublicKeyPem(keys.publicPem),
        await importPrivateKeyPem(keys.privatePem),
      );
      const ok = await subgraph.post(QUERY);
      assert.equal(ok.status, 200, ok.text);
      const other = await importPrivateKeyPem(rsaPair().privatePem);
      assertRefused(
        await signedPostGraphQL(
          subgraph.url,
          { audience: 'market', key: other },
          QUERY,
        ),
        /made with another key, or altered/,
      );
    });
  });

  describe('ES256 with a JSON Web Key Set on the subgraph', () => {
    it('picks the key by kid, so the gateway key can be rotated', async () => {
      const current = ecPair();
      const next = ecPair();
      const jwk = async (pem: string, kid: string) => ({
        ...(await exportJWK(await importSPKI(pem, 'ES256'))),
        kid,
        alg: 'ES256',
        use: 'sig',
      });
      const jwks = {
        keys: [
          await jwk(current.publicPem, 'k1'),
          await jwk(next.publicPem, 'k2'),
        ],
      };
      const subgraph = await start(
        createJwksVerificationKey(jwks),
        await importPrivateKeyPem(current.privatePem, { kid: 'k1' }),
      );
      assert.equal((await subgraph.post(QUERY)).status, 200);
      const rotated = await signedPostGraphQL(
        subgraph.url,
        {
          audience: 'market',
          key: await importPrivateKeyPem(next.privatePem, { kid: 'k2' }),
        },
        QUERY,
      );
      assert.equal(rotated.status, 200, rotated.text);
      // The right kid, the wrong private key.
      const stranger = await signedPostGraphQL(
        subgraph.url,
        {
          audience: 'market',
          key: await importPrivateKeyPem(ecPair().privatePem, { kid: 'k1' }),
        },
        QUERY,
      );
      assertRefused(stranger, /made with another key, or altered/);
      // A kid the set does not hold.
      const unknown = await signedPostGraphQL(
        subgraph.url,
        {
          audience: 'market',
          key: await importPrivateKeyPem(current.privatePem, { kid: 'k9' }),
        },
        QUERY,
      );
      assertRefused(unknown, /made with another key, or altered/);
    });

    it('refuses a token whose header embeds its own key', async () => {
      const keys = ecPair();
      const subgraph = await start(
        createJwksVerificationKey({
          keys: [
            {
              ...(await exportJWK(await importSPKI(keys.publicPem, 'ES256'))),
              kid: 'k1',
            },
          ],
        }),
        await importPrivateKeyPem(keys.privatePem, { kid: 'k1' }),
      );
      const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const body = JSON.stringify({ query: QUERY });
      const iat = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        iss: 'govgraph-gateway',
        aud: 'market',
        iat,
        exp: iat + 30,
        jti: randomUUID(),
        bh: bodyHash(body),
        ctx: { principal: null, scope: null },
      })
        .setProtectedHeader({
          alg: 'ES256',
          typ: SIGNATURE_TYPE,
          jwk: await exportJWK(attacker.publicKey),
        })
        .sign(attacker.privateKey);
      assertRefused(
        await postBody(subgraph.url, body, { [SIGNATURE_HEADER]: token }),
        /made with another key, or altered/,
      );
    });
  });
});
