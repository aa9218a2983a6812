import { readFile } from 'node:fs/promises';

import { Supergraph } from '@apollo/federation-internals';

export { DEFAULT_SUPERGRAPH_PATH } from './supergraphPath.js';

/** A supergraph file that cannot be used. */
export class SupergraphError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
  }
}

/**
 * Reads and validates a Federation 2 supergraph file, so that a wrong path
 * or a file that is not a supergraph fails at start with one clear line.
 */
export async function readSupergraphFile(path: string): Promise<string> {
  let sdl: string;
  try {
    sdl = await readFile(path, 'utf8');
  } catch (cause) {
    throw new SupergraphError(`cannot read supergraph file ${path}`, { cause });
  }
  try {
    readSubgraphUrls(sdl);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : '';
    throw new SupergraphError(
      `${path} is not a valid Federation 2 supergraph: ${reason ?? ''}`,
      { cause },
    );
  }
  return sdl;
}

/** The supergraph whose URLs were read last, and its URLs. */
let lastRead:
  { sdl: string; urls: Readonly<Record<string, string>> } | undefined;

/**
 * Subgraph name → URL, as the supergraph's `join__Graph` enum declares
 * them. A hub reads them twice from one SDL (at its check, then in the
 * gateway): the second read is answered from the first.
 */
export function readSubgraphUrls(
  supergraphSdl: string,
): Record<string, string> {
  if (lastRead?.sdl !== supergraphSdl) {
    const urls: Record<string, string> = {};
    for (const { name, url } of Supergraph.build(
      supergraphSdl,
    ).subgraphsMetadata()) {
      urls[name] = url;
    }
    lastRead = { sdl: supergraphSdl, urls };
  }
  return { ...lastRead.urls };
}
