// Validation of webhook URLs at registration: alerts leave the city's network
// only over TLS to public addresses, or to the targets the operators listed
// (see webhookTargets.ts; the address is decided again at every delivery).
import { BadUserInputError } from '../../../kit/src/errors/GraphQLErrorWithCode.js';
import {
  decideWebhookTarget,
  WEBHOOK_ALLOW_LIST_VARIABLE,
  WEBHOOK_TARGET_RULE,
  webhookTargetOf,
  type WebhookAllowList,
} from './webhookTargets.js';

/** The longest webhook URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * The normalised form of a webhook URL: `https:` (or `http:` to a listed
 * target), no credentials in the URL (the secret signs the deliveries), no
 * fragment, and a target {@link decideWebhookTarget} allows: a public
 * address, a name that is not local by definition, or an entry of
 * `allowList`. BAD_USER_INPUT naming `url` otherwise; a refused target
 * also names the rule ({@link WEBHOOK_TARGET_RULE}) and the reason.
 */
export function parseWebhookUrl(
  raw: string,
  allowList: WebhookAllowList,
): string {
  const invalid = (why: string): BadUserInputError =>
    BadUserInputError.invalidArgument(
      'url',
      raw,
      `an https URL (plain http only to the targets the operators list) (${why})`,
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
  const target = webhookTargetOf(url);
  if (target === null) throw invalid(`scheme ${url.protocol} is not allowed`);
  if (url.username !== '' || url.password !== '') {
    throw invalid('no credentials in the URL');
  }
  if (url.hash !== '') throw invalid('no fragment');
  const decision = decideWebhookTarget(allowList, target);
  if (!decision.allowed) {
    const reason = `${decision.reason}: alerts are delivered over https to public addresses, or to the targets the operators list in ${WEBHOOK_ALLOW_LIST_VARIABLE}`;
    throw new BadUserInputError(
      `Webhook target ${JSON.stringify(url.origin)} is not allowed: ${reason}.`,
      {
        argumentName: 'url',
        rule: WEBHOOK_TARGET_RULE,
        reason,
        ...(decision.range === undefined ? {} : { range: decision.range }),
      },
    );
  }
  return url.toString();
}
