// Validation of webhook URLs: alerts leave the city's network only over TLS.
import { BadUserInputError } from '../../../kit/src/index.js';

/** The longest webhook URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Hosts a plain-http webhook may name: this machine only (local use). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The normalised form of a webhook URL: `https:` anywhere, or `http:` only
 * to 127.0.0.1/localhost (a receiver on the same machine); no credentials
 * in the URL (the secret signs the deliveries) and no fragment.
 * BAD_USER_INPUT naming `url` otherwise.
 */
export function parseWebhookUrl(raw: string): string {
  const invalid = (why: string): BadUserInputError =>
    BadUserInputError.invalidArgument(
      'url',
      raw,
      `an https URL, or http://127.0.0.1 or http://localhost for local use (${why})`,
    );
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) {
    throw invalid(`at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('not a URL');
  }
  if (url.protocol === 'http:') {
    if (!LOOPBACK_HOSTS.has(url.hostname)) {
      throw invalid('plain http only to this machine');
    }
  } else if (url.protocol !== 'https:') {
    throw invalid(`scheme ${url.protocol} is not allowed`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('no credentials in the URL');
  }
  if (url.hash !== '') throw invalid('no fragment');
  return url.toString();
}
