// Which targets alert webhooks may be delivered to: pure decisions, no I/O.
// A webhook is a URL a department chooses, and the hub POSTs to it from
// inside the city's network, so an unchecked target turns the hub into a
// proxy towards its own neighbours (loopback services, the cloud metadata
// endpoint at 169.254.169.254, databases on private addresses). Only public
// unicast addresses over https are targets by default; everything else must
// be listed by the operators (ALERT_WEBHOOK_ALLOWED_TARGETS, parsed by
// parseWebhookAllowList). The address is decided after DNS resolution, at
// every delivery, on the address actually connected to (see
// jobs/sendWebhookRequest.ts): a name checked once can be re-pointed later
// (DNS rebinding).
import ipaddr from 'ipaddr.js';

/** The rule id of every refused webhook target. */
export const WEBHOOK_TARGET_RULE = 'alert-webhook-targets';

/** The environment variable that lists the allowed non-public targets. */
export const WEBHOOK_ALLOW_LIST_VARIABLE = 'ALERT_WEBHOOK_ALLOWED_TARGETS';

/** An IPv4 or IPv6 address (ipaddr.js). */
type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** One entry of the allow-list, as written and as parsed. */
export type WebhookAllowEntry =
  | {
      /** An address range (a single address is a /32 or /128). */
      readonly kind: 'range';
      /** The entry as the operators wrote it. */
      readonly text: string;
      readonly range: readonly [IpAddress, number];
      /** Only this port; any port when absent. */
      readonly port?: number;
      readonly host?: undefined;
    }
  | {
      /** A host name (lower case, no trailing dot), whatever it resolves to. */
      readonly kind: 'host';
      readonly text: string;
      readonly host: string;
      /** Only this port; any port when absent. */
      readonly port?: number;
      readonly range?: undefined;
    };

/**
 * The targets the operators allow besides public addresses: address ranges
 * (CIDR), single addresses and host names, each with an optional port.
 */
export interface WebhookAllowList {
  readonly entries: readonly WebhookAllowEntry[];
}

/** No entry: only https to public unicast addresses. */
export const EMPTY_WEBHOOK_ALLOW_LIST: WebhookAllowList = Object.freeze({
  entries: Object.freeze([]),
});

/** An allow-list entry that cannot be understood (a configuration error). */
export class WebhookAllowListError extends Error {
  constructor(
    message: string,
    /** The entry as written. */
    readonly entry: string,
  ) {
    super(message);
    this.name = this.constructor.name;
  }

  /** `entry` is not a range, an address or a host, with an optional port. */
  static invalidEntry(entry: string, why: string): WebhookAllowListError {
    return new WebhookAllowListError(
      `${WEBHOOK_ALLOW_LIST_VARIABLE}: "${entry}" is not an allowed-target entry (${why}); write a CIDR range (10.20.0.0/16, fd00::/8), an address (127.0.0.1, [::1]) or a host name, each address or host optionally with :port`,
      entry,
    );
  }
}

function parsePort(text: string, entry: string): number {
  if (!/^\d{1,5}$/.test(text)) {
    throw WebhookAllowListError.invalidEntry(entry, `port "${text}"`);
  }
  const port = Number(text);
  if (port < 1 || port > 65_535) {
    throw WebhookAllowListError.invalidEntry(entry, `port ${port}`);
  }
  return port;
}

/**
 * An address written the one unambiguous way: IPv4 in four decimal parts
 * (not `127.1`, `0x7f.0.0.1` or `2130706433`), IPv6 as RFC 4291 text.
 */
function parseCanonicalAddress(text: string): IpAddress | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && ipaddr.IPv6.isValid(text) && !text.includes('%')) {
    return ipaddr.IPv6.parse(text);
  }
  return null;
}

/** An IPv4-mapped IPv6 address is its IPv4 address (that is where it goes). */
function unmap(address: IpAddress): IpAddress {
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()
    ? address.toIPv4Address()
    : address;
}

function parseEntry(entry: string): WebhookAllowEntry {
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const address = parseCanonicalAddress(entry.slice(0, slash));
    const bitsText = entry.slice(slash + 1);
    if (address === null || !/^\d{1,3}$/.test(bitsText)) {
      throw WebhookAllowListError.invalidEntry(entry, 'not a CIDR range');
    }
    const bits = Number(bitsText);
    const plain = unmap(address);
    const max = address.kind() === 'ipv4' ? 32 : 128;
    if (bits > max) {
      throw WebhookAllowListError.invalidEntry(entry, `prefix /${bits}`);
    }
    if (plain !== address && bits < 96) {
      throw WebhookAllowListError.invalidEntry(
        entry,
        'an IPv4-mapped range is /96 or longer',
      );
    }
    // ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses are matched unmapped.
    const range: readonly [IpAddress, number] =
      plain === address ? [address, bits] : [plain, bits - 96];
    return { kind: 'range', text: entry, range };
  }
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    const address = parseCanonicalAddress(bracketed[1] ?? '');
    if (address === null || address.kind() !== 'ipv6') {
      throw WebhookAllowListError.invalidEntry(entry, 'not an IPv6 address');
    }
    const plain = unmap(address);
    return {
      kind: 'range',
      text: entry,
      range: [plain, plain.kind() === 'ipv4' ? 32 : 128],
      ...(bracketed[2] === undefined
        ? {}
        : { port: parsePort(bracketed[2], entry) }),
    };
  }
  const bare = parseCanonicalAddress(entry);
  if (bare !== null) {
    const plain = unmap(bare);
    return {
      kind: 'range',
      text: entry,
      range: [plain, plain.kind() === 'ipv4' ? 32 : 128],
    };
  }
  const colon = entry.lastIndexOf(':');
  const hostText = colon >= 0 ? entry.slice(0, colon) : entry;
  const port = colon >= 0 ? parsePort(entry.slice(colon + 1), entry) : null;
  const withPort = parseCanonicalAddress(hostText);
  if (withPort !== null) {
    if (withPort.kind() === 'ipv6') {
      throw WebhookAllowListError.invalidEntry(
        entry,
        'an IPv6 address with a port is written [address]:port',
      );
    }
    return {
      kind: 'range',
      text: entry,
      range: [withPort, 32],
      ...(port === null ? {} : { port }),
    };
  }
  let url: URL;
  try {
    url = new URL(`http://${hostText}/`);
  } catch {
    throw WebhookAllowListError.invalidEntry(entry, 'not a host name');
  }
  const host = normalizeHostName(url.hostname);
  if (
    url.username !== '' ||
    url.password !== '' ||
    url.port !== '' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== '' ||
    host === '' ||
    /[/?#@[\]\\\s]/.test(hostText)
  ) {
    throw WebhookAllowListError.invalidEntry(entry, 'not a host name');
  }
  if (hostText.includes('*')) {
    throw WebhookAllowListError.invalidEntry(
      entry,
      'wildcards are not supported: list each host, or its address range',
    );
  }
  if (ipaddr.isValid(host)) {
    // The URL parser read a number as an address (127.1, 0x7f.1, 2130706433).
    throw WebhookAllowListError.invalidEntry(
      entry,
      `it reads as the address ${host}: write addresses in dotted-decimal form`,
    );
  }
  return {
    kind: 'host',
    text: entry,
    host,
    ...(port === null ? {} : { port }),
  };
}

/**
 * Parses the allow-list setting: entries separated by commas or white
 * space, each a CIDR range (`10.20.0.0/16`, `fd00::/8`), an address
 * (`127.0.0.1`, `::1`, `[::1]`) or a host name, the address or host
 * optionally with `:port` (`127.0.0.1:9000`, `[::1]:9000`,
 * `hooks.internal.example:8443`). An empty or absent setting allows
 * nothing besides public addresses.
 *
 * @throws WebhookAllowListError naming the first entry that is none of these
 */
export function parseWebhookAllowList(
  raw: string | undefined,
): WebhookAllowList {
  const texts = (raw ?? '').split(/[\s,]+/).filter((t) => t !== '');
  if (texts.length === 0) return EMPTY_WEBHOOK_ALLOW_LIST;
  return Object.freeze({
    entries: Object.freeze(texts.map((t) => Object.freeze(parseEntry(t)))),
  });
}

/** Where a webhook URL points: the parts the decisions look at. */
export interface WebhookTarget {
  readonly protocol: 'http:' | 'https:';
  /**
   * The host: a name in lower case without a trailing dot, or an address
   * (IPv6 without brackets), as the URL parser normalised it.
   */
  readonly host: string;
  /** The port connected to (the scheme's default when the URL has none). */
  readonly port: number;
}

/** Lower case, without the trailing dot of an absolute name. */
function normalizeHostName(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

/**
 * The target of a parsed URL, or null for a scheme other than http and
 * https. The WHATWG URL parser has already turned every IPv4 spelling
 * (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) into dotted decimal.
 */
export function webhookTargetOf(url: URL): WebhookTarget | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.startsWith('[')
    ? url.hostname.slice(1, -1)
    : normalizeHostName(url.hostname);
  const port =
    url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { protocol: url.protocol, host, port };
}

/** A decision on a webhook target. */
export type WebhookTargetDecision =
  | {
      readonly allowed: true;
      /**
       * `public-address`: a public unicast address over https;
       * `allow-list`: the entry `entry` lists it; `resolved-at-delivery`: a
       * name, decided on each address it resolves to when delivered.
       */
      readonly by: 'public-address' | 'allow-list' | 'resolved-at-delivery';
      readonly entry?: string;
    }
  | {
      readonly allowed: false;
      /** Why, in a sentence that names the address class. */
      readonly reason: string;
      /** The special range the address is in, e.g. `loopback`. */
      readonly range?: string;
    };

const HTTP_ONLY_LISTED =
  'plain http goes only to listed targets; public receivers use https';

function portMatches(entry: WebhookAllowEntry, port: number): boolean {
  return entry.port === undefined || entry.port === port;
}

function listedHost(
  list: WebhookAllowList,
  target: WebhookTarget,
): WebhookAllowEntry | undefined {
  return list.entries.find(
    (e) =>
      e.kind === 'host' &&
      e.host === target.host &&
      portMatches(e, target.port),
  );
}

/** IPv6 global unicast (RFC 4291 §2.4, IANA's allocation): 2000::/3. */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * The special-purpose range of an address (`loopback`, `private`,
 * `linkLocal`, `uniqueLocal`, `carrierGradeNat`, `reserved`, …, from
 * ipaddr.js's tables of the IANA registries), or `unicast` for a public
 * one. IPv4-mapped IPv6 addresses are classified as the IPv4 address they
 * reach; IPv6 outside 2000::/3 (e.g. the IPv4-compatible `::7f00:1`) is
 * `reserved`.
 */
export function addressRange(address: string): string {
  const parsed = unmap(ipaddr.parse(address));
  const range = parsed.range();
  if (
    range === 'unicast' &&
    parsed.kind() === 'ipv6' &&
    !parsed.match(IPV6_GLOBAL_UNICAST)
  ) {
    return 'reserved';
  }
  return range;
}

const RANGE_NAMES: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified (this-network) address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  private: 'a private address',
  uniqueLocal: 'a unique local (private) address',
  reserved: 'a reserved address',
};

/**
 * Whether a delivery to `target` may connect to `address` (one address
 * the host resolved to, or the host itself when it is an address): a host
 * the allow-list names, whatever it resolves to; an address in a listed
 * range; else only a public unicast address, over https.
 */
export function decideWebhookAddress(
  list: WebhookAllowList,
  target: WebhookTarget,
  address: string,
): WebhookTargetDecision {
  const host = listedHost(list, target);
  if (host) return { allowed: true, by: 'allow-list', entry: host.text };
  if (!ipaddr.isValid(address)) {
    return { allowed: false, reason: `"${address}" is not an IP address` };
  }
  const parsed = unmap(ipaddr.parse(address));
  const range = list.entries.find(
    (e) =>
      e.kind === 'range' &&
      e.range[0].kind() === parsed.kind() &&
      parsed.match(e.range[0], e.range[1]) &&
      portMatches(e, target.port),
  );
  if (range) return { allowed: true, by: 'allow-list', entry: range.text };
  const special = addressRange(address);
  if (special !== 'unicast') {
    return {
      allowed: false,
      range: special,
      reason: `${parsed.toString()} is ${RANGE_NAMES[special] ?? `in the special-purpose range "${special}"`}`,
    };
  }
  if (target.protocol !== 'https:') {
    return { allowed: false, reason: HTTP_ONLY_LISTED };
  }
  return { allowed: true, by: 'public-address' };
}

/**
 * Names that reach this machine or the local network by definition:
 * `localhost` (RFC 6761 §6.3), mDNS `.local` (RFC 6762), `.home.arpa`
 * (RFC 8375), `.internal` (reserved for private use by ICANN, 2024) and
 * `.localdomain`.
 */
const LOCAL_SUFFIXES = ['localhost', 'local', 'home.arpa', 'internal'];

function localName(host: string): string | null {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (host === 'localdomain' || host.endsWith('.localdomain')) return 'local';
  if (!host.includes('.')) return 'single-label';
  return LOCAL_SUFFIXES.some((s) => host.endsWith(`.${s}`)) ? 'local' : null;
}

/**
 * The decision at registration, before any resolution: an address is
 * decided as at delivery; a listed host is allowed; a name that is local
 * by definition (`localhost`, a single label resolved through search
 * domains, `.local`, `.internal`, …) is refused, and so is plain http to
 * an unlisted name; any other name is allowed here and decided on every
 * address it resolves to at each delivery.
 */
export function decideWebhookTarget(
  list: WebhookAllowList,
  target: WebhookTarget,
): WebhookTargetDecision {
  if (ipaddr.isValid(target.host)) {
    return decideWebhookAddress(list, target, target.host);
  }
  const host = listedHost(list, target);
  if (host) return { allowed: true, by: 'allow-list', entry: host.text };
  const local = localName(target.host);
  if (local !== null) {
    return {
      allowed: false,
      range: local,
      reason:
        local === 'single-label'
          ? `"${target.host}" is a single-label name (resolved through the hub's search domains to a local host)`
          : `"${target.host}" names ${local === 'loopback' ? 'this machine' : 'a host of the local network'}`,
    };
  }
  if (target.protocol !== 'https:') {
    return { allowed: false, reason: HTTP_ONLY_LISTED };
  }
  return { allowed: true, by: 'resolved-at-delivery' };
}
