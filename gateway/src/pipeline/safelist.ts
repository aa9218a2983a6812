import { readFile } from 'node:fs/promises';

import { z } from 'zod';

import { sha256 } from '../../../subgraphs/kit/src/sha256.js';

/**
 * An Apollo persisted-query manifest
 * (https://www.apollographql.com/docs/graphos/routing/security/persisted-queries#manifest-format):
 * the operations a safelisted gateway runs. `id`, when given, must be the
 * SHA-256 of `body`, which is also the hash clients send with APQ.
 */
const ManifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z
    .array(
      z.object({
        id: z.string().optional(),
        name: z.string().optional(),
        type: z.enum(['query', 'mutation', 'subscription']).optional(),
        body: z.string().min(1),
      }),
    )
    .min(1),
});

/** A safelist file that cannot be used; the gateway does not start. */
export class SafelistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}

/**
 * The SHA-256 hashes of the operations of a persisted-query manifest: the
 * safelist of {@link GovernedGatewayConfig.safelist}.
 * @throws SafelistError for malformed JSON, a wrong format or a mismatched id
 */
export function parseSafelist(text: string, source = 'safelist'): Set<string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SafelistError(`${source}: not valid JSON`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SafelistError(
      `${source}: not a persisted-query manifest (${issue?.path.join('.') ?? ''} ${issue?.message ?? ''})`.trim(),
    );
  }
  const hashes = new Set<string>();
  for (const [i, operation] of parsed.data.operations.entries()) {
    const hash = sha256(operation.body);
    if (operation.id !== undefined && operation.id !== hash) {
      throw new SafelistError(
        `${source}: operations[${String(i)}].id is not the SHA-256 of its body (expected ${hash})`,
      );
    }
    hashes.add(hash);
  }
  return hashes;
}

/** {@link parseSafelist} over a file. */
export async function readSafelistFile(path: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SafelistError(
      `${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return parseSafelist(text, path);
}
