import type { RemoteGraphQLDataSource } from '@apollo/gateway';

import {
  signCall,
  SIGNATURE_HEADER,
  type SignedCallContext,
  type SigningKey,
} from '../../../subgraphs/kit/src/index.js';
import { CallSigningError } from './CallSigningError.js';

/** The HTTP client a RemoteGraphQLDataSource sends subgraph calls with. */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** Options of {@link createSigningFetcher}. */
export interface SigningFetcherOptions {
  /** Name of the subgraph called: the signature's audience. */
  audience: string;
  key: SigningKey;
  /** The fetcher that really sends the call. */
  fetcher: Fetcher;
  /** The call context of the call being sent; `undefined` refuses the call. */
  callContext: () => SignedCallContext | undefined;
}

/**
 * Wraps a data source's fetcher so that every call carries the gateway's
 * signature in `x-govgraph-signature`. It signs the body it is handed and
 * sends those very bytes: whatever RemoteGraphQLDataSource serialised is
 * what the hash covers, with no second serialisation to drift from it.
 */
export function createSigningFetcher(options: SigningFetcherOptions): Fetcher {
  return async (url, init) => {
    const context = options.callContext();
    if (context === undefined) {
      throw new CallSigningError(
        `no call context for a call to subgraph "${options.audience}"; not sent`,
      );
    }
    const sent = init?.body ?? '';
    const body = typeof sent === 'string' ? Buffer.from(sent, 'utf8') : sent;
    const signature = await signCall(options.key, {
      audience: options.audience,
      body,
      context,
    });
    const headers = Object.fromEntries(
      Object.entries(init?.headers ?? {}).filter(
        ([name]) => name.toLowerCase() !== SIGNATURE_HEADER,
      ),
    );
    return options.fetcher(url, {
      ...init,
      body,
      headers: { ...headers, [SIGNATURE_HEADER]: signature },
    });
  };
}
