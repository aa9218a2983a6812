// One HTTP POST to a webhook, connected only to an allowed address. The
// address is decided in the socket's own DNS lookup (the `lookup` option of
// node:http, which net.connect calls and then connects to exactly the
// address it returns), so the address checked is the address connected to:
// a name that resolved to a public address at registration, or at the last
// delivery, and now resolves to 127.0.0.1 (DNS rebinding) is refused before
// any connection. An address in the URL itself is decided before the
// request (net.connect does not look addresses up). Redirects are never
// followed, and no connection is reused.
import { lookup as dnsLookup } from 'node:dns/promises';
import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

import {
  decideWebhookAddress,
  webhookTargetOf,
  type WebhookAllowList,
  type WebhookTarget,
} from '../webhookTargets.js';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Resolves a host name to every address it has (what `dns.lookup` with
 * `all: true` answers); tests inject one to play a rebinding DNS.
 */
export type WebhookResolver = (
  hostname: string,
) => Promise<readonly ResolvedAddress[]>;

/** The system's resolver (`dns.lookup`, as every Node connection uses). */
export const systemResolver: WebhookResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/**
 * A delivery refused because its target is not allowed: nothing was
 * sent. The message names the host, the address and the reason, for the
 * operators' log.
 */
export class WebhookTargetBlockedError extends Error {
  /** Node-style code, so that it reads like the network errors it replaces. */
  readonly code = 'ERR_WEBHOOK_TARGET_NOT_ALLOWED';

  constructor(
    message: string,
    readonly host: string,
    readonly address: string | null,
    readonly reason: string,
  ) {
    super(message);
    this.name = this.constructor.name;
  }

  /** `host` (resolved to `address`) is refused for `reason`. */
  static of(
    target: WebhookTarget,
    address: string | null,
    reason: string,
  ): WebhookTargetBlockedError {
    const where =
      address === null || address === target.host
        ? target.host
        : `${target.host} (resolved to ${address})`;
    return new WebhookTargetBlockedError(
      `webhook target ${where} port ${target.port} is not allowed: ${reason}`,
      target.host,
      address,
      reason,
    );
  }
}

/** A POST to send. */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Milliseconds for the whole exchange, connection included. */
  readonly timeoutMs: number;
}

/** The receiver's answer. */
export interface WebhookResponse {
  readonly status: number;
  /** The address connected to, for the operators' log. */
  readonly address: string | undefined;
}

/** Dependencies of {@link sendWebhookRequest}. */
export interface SendWebhookDeps {
  /** Targets allowed besides public addresses over https. */
  readonly allowList: WebhookAllowList;
  /** @defaultValue {@link systemResolver} */
  readonly resolve?: WebhookResolver;
}

/**
 * The `lookup` of the request's socket: resolves `target`'s name and
 * answers only when every address it has is allowed; one address refused
 * refuses the delivery (a name answering a public and a loopback address
 * is the classic rebinding trick). Answers in both forms net.connect asks
 * for: every address (`all`, Happy Eyeballs) or the first one.
 */
function guardedLookup(
  target: WebhookTarget,
  deps: SendWebhookDeps,
): LookupFunction {
  const resolve = deps.resolve ?? systemResolver;
  return (hostname, options, callback) => {
    const fail = (error: unknown): void =>
      callback(
        error instanceof Error ? error : new Error(String(error)),
        '',
        4,
      );
    resolve(hostname).then((resolved) => {
      // Every address is decided, also those of the family not asked for.
      for (const { address } of resolved) {
        const decision = decideWebhookAddress(deps.allowList, target, address);
        if (!decision.allowed) {
          fail(WebhookTargetBlockedError.of(target, address, decision.reason));
          return;
        }
      }
      const addresses = resolved.filter(
        (a) =>
          options.family === undefined ||
          options.family === 0 ||
          options.family === a.family ||
          options.family === `IPv${a.family}`,
      );
      const first = addresses[0];
      if (first === undefined) {
        fail(
          Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: 'ENOTFOUND',
          }),
        );
        return;
      }
      if (options.all === true) {
        callback(
          null,
          addresses.map((a) => ({ address: a.address, family: a.family })),
        );
      } else {
        callback(null, first.address, first.family);
      }
    }, fail);
  };
}

/**
 * POSTs `request.body` to `request.url` and resolves with the status of
 * the answer (any status: the caller decides), once the status is in; the
 * rest of the answer is discarded.
 *
 * @throws WebhookTargetBlockedError when the URL is not http(s) or the
 *   address (in the URL, or any the name resolves to) is not allowed;
 *   nothing was sent then
 * @throws the network error otherwise (refused, reset, TLS, timeout)
 */
export async function sendWebhookRequest(
  request: WebhookRequest,
  deps: SendWebhookDeps,
): Promise<WebhookResponse> {
  if (!URL.canParse(request.url)) {
    throw new WebhookTargetBlockedError(
      'webhook URL cannot be parsed',
      '',
      null,
      'not a URL',
    );
  }
  const url = new URL(request.url);
  const target = webhookTargetOf(url);
  if (target === null) {
    throw new WebhookTargetBlockedError(
      `webhook scheme ${url.protocol} is not allowed`,
      url.hostname,
      null,
      `scheme ${url.protocol}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw WebhookTargetBlockedError.of(target, null, 'credentials in the URL');
  }
  if (isIP(target.host) !== 0) {
    const decision = decideWebhookAddress(deps.allowList, target, target.host);
    if (!decision.allowed) {
      throw WebhookTargetBlockedError.of(target, target.host, decision.reason);
    }
  }
  const options: RequestOptions = {
    method: 'POST',
    protocol: target.protocol,
    hostname: target.host,
    port: target.port,
    path: `${url.pathname}${url.search}`,
    headers: {
      ...request.headers,
      'content-length': String(Buffer.byteLength(request.body)),
    },
    lookup: guardedLookup(target, deps),
    // A fresh connection each time: each is looked up (and checked) anew.
    agent: false,
    signal: AbortSignal.timeout(request.timeoutMs),
  };
  return new Promise<WebhookResponse>((resolve, reject) => {
    let address: string | undefined;
    const req: ClientRequest = (
      target.protocol === 'https:' ? httpsRequest : httpRequest
    )(options, (res: IncomingMessage) => {
      // The body is not needed; draining it lets the connection close.
      res.resume();
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, address });
    });
    req.on('socket', (socket) => {
      socket.once('connect', () => {
        address = socket.remoteAddress;
      });
    });
    req.on('error', reject);
    req.end(request.body);
  });
}
