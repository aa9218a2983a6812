// Signing of webhook deliveries, after the scheme Stripe and GitHub use: the
// receiver recomputes HMAC-SHA256 over the timestamp and the exact body
// with the secret it was given at registration, and rejects old timestamps
// (replays).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header that carries a delivery's signature. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-govgraph-webhook-signature';

/** The header that carries the delivery id (stable across retries). */
export const WEBHOOK_DELIVERY_HEADER = 'x-govgraph-delivery-id';

/** A new signing secret: 32 random bytes, `whsec_` + base64url. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Hex HMAC-SHA256 of `<t>.<body>` under `secret`. */
function digest(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.${body}`)
    .digest('hex');
}

/**
 * The signature header value of `body` sent at `timestamp` (unix seconds):
 * `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
 */
export function signWebhookBody(
  secret: string,
  body: string,
  timestamp: number,
): string {
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`;
}

/** Options of {@link verifyWebhookSignature}. */
export interface VerifyWebhookOptions {
  /** Unix seconds now. @defaultValue the clock */
  readonly now?: number;
  /** Oldest accepted signature, in seconds. @defaultValue 300 */
  readonly toleranceSeconds?: number;
}

/**
 * Whether `header` is a valid signature of `body` under `secret`, made
 * within the tolerance: what a receiver checks before trusting a delivery.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  options: VerifyWebhookOptions = {},
): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) return false;
  const timestamp = Number(match[1]);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) {
    return false;
  }
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}
