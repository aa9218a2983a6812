import { type Grant } from '../model/Grant.js';
import { type NegativeListEntry } from '../model/NegativeListEntry.js';

/**
 * The rule ids decisions carry in {@link Decision.rule} and
 * {@link Decision.trail}: stable strings that the access log, explain and
 * the `extensions.rule` of withheld fields show.
 */
export const ruleId = {
  /** The purpose is not one the principal may declare. */
  purposeNotDeclarable: 'purpose-not-declarable',
  /** The field belongs to the principal's own department. */
  ownDepartment: 'own-department',
  /** No negative-list entry covers the field: shared. */
  noEntry: 'no-entry',
  /** The field has no classification and the city withholds such fields. */
  unclassifiedField: 'unclassified-field',
  /** No role of the principal has a rule for the field. */
  caslNoRule: 'casl:no-rule',
  /** A negative-list entry version: `negative-list:NL-12@3`. */
  negativeList: (entry: Pick<NegativeListEntry, 'id' | 'version'>): string =>
    `negative-list:${entry.id}@${String(entry.version)}`,
  /** A grant: `grant:G-7`. */
  grant: (grant: Pick<Grant, 'id'>): string => `grant:${grant.id}`,
  /** A role whose CASL rules decided: `casl:role:analyst`. */
  caslRole: (role: string): string => `casl:role:${role}`,
  /** An algorithm filing: `algorithm-filing:ALG-2025-017`. */
  algorithmFiling: (filingId: string): string => `algorithm-filing:${filingId}`,
} as const;
