// The gateway's defaults, apart from the modules that use them so that the
// settings (env.ts) can be read without loading Apollo and the pipeline.

/** Requests in flight a gateway serves at once by default. */
export const DEFAULT_MAX_CONCURRENT = 64;
/** Longest answer a gateway sends by default (16 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** How long a subgraph call may take by default (10 s). */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;
/**
 * Largest request body (8 MiB): room for an evidence document of the
 * registry's default limit (5 MiB) travelling base64-encoded; the parser's
 * token limit bounds what a large body costs to parse.
 */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
