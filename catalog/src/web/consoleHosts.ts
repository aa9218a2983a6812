import { BlockList, isIPv6 } from 'node:net';

/** A `Host` header (or a configured host name) split into name and port. */
export interface HostAndPort {
  /** Lower-case host name, IPv4 address or bracketed IPv6 address (`[::1]`). */
  readonly name: string;
  /** The port, or `null` when none is given (the scheme's default). */
  readonly port: number | null;
}

/** The loopback names a console answers to on its own port. */
export const LOOPBACK_HOST_NAMES: readonly string[] = [
  '127.0.0.1',
  'localhost',
  '[::1]',
];

/** Listen addresses that mean "every interface" rather than one name. */
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

const HOST_PATTERN =
  /^(?<name>\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::(?<port>\d{1,5}))?$/;

const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK_ADDRESSES.addAddress('::1', 'ipv6');

/**
 * Parses a `Host` header value (`name`, `name:port`, `[v6]:port`), or
 * `null` when it is absent or not of that form (user info, paths, spaces and
 * trailing dots are refused, not repaired).
 */
export function parseHost(value: string | undefined): HostAndPort | null {
  if (value === undefined) return null;
  const match = HOST_PATTERN.exec(value.toLowerCase());
  if (match?.groups === undefined) return null;
  const { name, port } = match.groups;
  if (name === undefined) return null;
  if (name.startsWith('[') && !isIPv6(name.slice(1, -1))) return null;
  if (port === undefined) return { name, port: null };
  const number = Number(port);
  return number >= 1 && number <= 65_535 ? { name, port: number } : null;
}

/** Whether `host` names this machine's loopback interface. */
export function isLoopbackHost(host: HostAndPort): boolean {
  return LOOPBACK_HOST_NAMES.includes(host.name);
}

/**
 * Whether a peer address (`socket.remoteAddress`) is on the loopback
 * interface: 127.0.0.0/8, `::1`, or their IPv4-mapped IPv6 forms.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return isIPv6(address)
    ? LOOPBACK_ADDRESSES.check(address, 'ipv6')
    : LOOPBACK_ADDRESSES.check(address, 'ipv4');
}

/**
 * The `Host` names a console answers to: the loopback names on the port it
 * listens on, the address it listens on (unless that is a wildcard), and
 * every configured name — `name:port` for exactly that port, a bare `name`
 * for any port (a public name behind a TLS-terminating proxy arrives without
 * one).
 */
export class AllowedHosts {
  readonly #entries: readonly HostAndPort[];

  private constructor(entries: readonly HostAndPort[]) {
    this.#entries = entries;
  }

  /**
   * The allowed names of a console listening on `listenHost`:`port`, plus
   * `configured`. Throws a `TypeError` naming the first configured entry
   * that is not a host name with an optional port.
   */
  static of(
    port: number,
    listenHost: string,
    configured: readonly string[],
  ): AllowedHosts {
    const listen = isIPv6(listenHost) ? `[${listenHost}]` : listenHost;
    const own = [
      ...LOOPBACK_HOST_NAMES,
      ...(WILDCARD_ADDRESSES.has(listen) ? [] : [listen.toLowerCase()]),
    ].map((name) => ({ name, port }));
    const extra = configured.map((entry) => {
      const parsed = parseHost(entry.trim());
      if (parsed === null) {
        throw new TypeError(
          `allowed host "${entry}" is not a host name with an optional port (e.g. "console.example.gov.cn" or "console.example.gov.cn:8443")`,
        );
      }
      return parsed;
    });
    return new AllowedHosts([...own, ...extra]);
  }

  /** Whether a request whose `Host` is `host` is for this console. */
  allows(host: HostAndPort): boolean {
    const port = host.port ?? 80;
    return this.#entries.some(
      (entry) =>
        entry.name === host.name &&
        (entry.port === null || entry.port === port),
    );
  }
}

/**
 * Whether an `Origin` header names the same origin as the request's `Host`
 * (same name; same port, the scheme's default standing in for an absent
 * one). `null` origins (sandboxed frames, files) are never the same.
 */
export function isSameOrigin(origin: string, host: HostAndPort): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const defaultPort =
    url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : null;
  if (defaultPort === null || url.origin === 'null') return false;
  const originHost = parseHost(url.host);
  if (originHost === null) return false;
  return (
    originHost.name === host.name &&
    (originHost.port ?? defaultPort) === (host.port ?? defaultPort)
  );
}
