// The development secrets of `npm start`, kept in `.govgraph/secrets.json`
// (beside the embedded database; folder 0700, file 0600) so that tokens
// survive restarts and `npm run token` signs with the secret the running
// hub verifies with. GOVGRAPH_TOKEN_SECRET and GATEWAY_SIGNING_SECRET, when
// set, take precedence and are never written here.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

import { z } from 'zod';

/** The secrets `npm start` makes once and keeps. */
export interface DevSecrets {
  tokenSecret: string;
  signingSecret: string;
}

const DevSecretsSchema = z.object({
  tokenSecret: z.string().min(32),
  signingSecret: z.string().min(32),
});

/**
 * The folder of the hub's local state: the folder holding PGLITE_DATA_DIR
 * (`.govgraph` by default), or `.govgraph` for a non-folder data dir.
 */
export function stateDirOf(pgliteDataDir: string): string {
  return pgliteDataDir.includes('://') ? '.govgraph' : dirname(pgliteDataDir);
}

/** The secrets file in a state folder. */
export function devSecretsPath(stateDir: string): string {
  return join(stateDir, 'secrets.json');
}

/**
 * The kept development secrets, made (random, 32 bytes each) and written
 * owner-only on first use; the folder and file are made owner-only if they
 * were not (a shared folder with the sticky bit, such as `/tmp`, keeps its
 * mode).
 * @throws Error when the file exists but is not a secrets file
 */
export function loadOrCreateDevSecrets(stateDir: string): DevSecrets {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  // A shared folder with the sticky bit (`/tmp`, when PGLITE_DATA_DIR is
  // `/tmp/x`) is everyone's: it keeps its mode, and the file alone is
  // owner-only.
  if ((statSync(stateDir).mode & 0o1000) === 0) chmodSync(stateDir, 0o700);
  const path = devSecretsPath(stateDir);
  const existing = readDevSecrets(stateDir);
  if (existing !== null) {
    chmodSync(path, 0o600);
    return existing;
  }
  const secrets: DevSecrets = {
    tokenSecret: randomBytes(32).toString('base64url'),
    signingSecret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return secrets;
}

/**
 * The kept development secrets, or null when none were made yet.
 * @throws Error when the file exists but is not a secrets file
 */
export function readDevSecrets(stateDir: string): DevSecrets | null {
  const path = devSecretsPath(stateDir);
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    parsed = null;
  }
  const secrets = DevSecretsSchema.safeParse(parsed);
  if (!secrets.success) {
    throw new Error(
      `${path} is not a govgraph secrets file (tokenSecret, signingSecret); delete it to make new secrets`,
    );
  }
  return secrets.data;
}
