// Who acts on alerts: the principal the gateway signed into the call, and
// the pure rules of who receives and may handle an alert.
import { regionPrefix } from '../../../kit/src/regions.js';
import { requirePrincipal } from '../../../kit/src/signing/principal.js';
import type { SubgraphContext } from '../../../kit/src/createSubgraph.js';

/** A caller of the alert operations. */
export interface AlertActor {
  /** Token subject: a person id, a user or a service identity. */
  readonly subject: string;
  /** The department the caller acts for, e.g. `water`. */
  readonly department: string;
  readonly roles: readonly string[];
  /** The caller's region (city, district or street code). */
  readonly regionCode: string;
  /** Present for an algorithm identity, which handles no alerts. */
  readonly filingId?: string;
}

/** The department of emergency management, which receives every alert. */
export const EMERGENCY_DEPARTMENT = 'emergency';

/** The role of the emergency department's duty officers. */
export const DUTY_OFFICER_ROLE = 'duty-officer';

/**
 * The caller of this call: the principal the gateway verified and signed
 * into it. UNAUTHENTICATED without one (a call on behalf of nobody).
 */
export function alertActorOf(ctx: SubgraphContext): AlertActor {
  const { subject, department, roles, regionCode, filingId } = requirePrincipal(
    ctx,
    'Alert operations act only for a principal the gateway authenticated.',
  );
  const actor = { subject, department, roles, regionCode };
  return filingId === undefined ? actor : { ...actor, filingId };
}

/** `department:<dept>:<region>`, the recipient of a department's inbox. */
export function departmentRecipient(
  department: string,
  regionCode: string,
): string {
  return `department:${department}:${regionCode}`;
}

/** `person:<id>`, the recipient of a responsible person's inbox. */
export function personRecipient(personId: string): string {
  return `person:${personId}`;
}

/** Whether a region code lies in the region of `actor` (or is it). */
export function actorCovers(actor: AlertActor, regionCode: string): boolean {
  return regionCode.startsWith(regionPrefix(actor.regionCode));
}

/** Whether `actor` is an emergency duty officer whose region has `regionCode`. */
export function isDutyOfficerFor(
  actor: AlertActor,
  regionCode: string,
): boolean {
  return (
    actor.filingId === undefined &&
    actor.department === EMERGENCY_DEPARTMENT &&
    actor.roles.includes(DUTY_OFFICER_ROLE) &&
    actorCovers(actor, regionCode)
  );
}

/** An inbox delivery of an alert, as far as who receives it goes. */
export interface InboxRecipient {
  readonly department: string | null;
  readonly regionCode: string | null;
  readonly personId: string | null;
}

/**
 * Whether `actor` receives a delivery: a department delivery for the
 * actor's department in a region the actor's region covers, or a person
 * delivery to the actor's subject. Algorithm identities receive nothing.
 */
export function receives(actor: AlertActor, delivery: InboxRecipient): boolean {
  if (actor.filingId !== undefined) return false;
  if (delivery.personId !== null) return delivery.personId === actor.subject;
  return (
    delivery.department === actor.department &&
    delivery.regionCode !== null &&
    actorCovers(actor, delivery.regionCode)
  );
}
