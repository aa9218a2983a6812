// The shapes a stored, written or imported policy must have (zod).
// Strict objects throughout: a key the engine does not know could be a
// restriction it would silently ignore, so it makes the policy invalid.
import { z } from 'zod';

import {
  ALGORITHM_STATES,
  MASK_KINDS,
  type EntryConditions,
  type EntryExceptions,
  type EntrySelector,
  type Grant,
  type PolicySettings,
  type RoleRule,
  type RowFilter,
} from '../model/index.js';
import type {
  AlgorithmFiling,
  FieldClassificationItem,
  PolicyDocumentEntry,
} from './PolicyDocument.js';

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Plain text: non-empty, without NUL (PostgreSQL text cannot hold it). */
const Text = z
  .string()
  .min(1)
  .max(4000)
  .refine((s) => !s.includes('\0'), 'must not contain NUL');
/** An id of an entry, grant or filing, e.g. `NL-PS-002`, `ALG-2025-017`. */
const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be an id like NL-12');
const Coordinate = z
  .string()
  .regex(
    /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/,
    'must be a schema coordinate Type.field',
  );
const TypeName = z.string().regex(NAME, 'must be a GraphQL type name');
/** An ISO 8601 instant with a zone, e.g. `2025-01-01T00:00:00+08:00`. */
const Instant = z.iso.datetime({ offset: true });
const MaskKind = z.enum(MASK_KINDS);
const Masks = z.record(Coordinate, MaskKind);
const Value = z.union([Text, z.number(), z.boolean()]);

export const RowFilterSchema: z.ZodType<RowFilter> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.strictObject({
      op: z.literal('and'),
      filters: z.array(RowFilterSchema).max(256),
    }),
    z.strictObject({
      op: z.literal('eq'),
      field: z.string().regex(NAME),
      value: Value,
    }),
    z.strictObject({
      op: z.literal('in'),
      field: z.string().regex(NAME),
      values: z.array(Value).max(1000),
    }),
    z.strictObject({
      op: z.literal('prefix'),
      field: z.string().regex(NAME),
      value: Text,
    }),
  ]),
);

export const SelectorSchema: z.ZodType<EntrySelector> = z.strictObject({
  coordinates: z.array(Coordinate).exactOptional(),
  types: z.array(TypeName).exactOptional(),
  tags: z.array(Text).exactOptional(),
});

export const ConditionsSchema: z.ZodType<EntryConditions> = z.strictObject({
  consumers: z.array(Text).exactOptional(),
  purposes: z.array(Text).exactOptional(),
  scenarios: z.array(Text).exactOptional(),
  rowFilter: RowFilterSchema.exactOptional(),
  masks: Masks.exactOptional(),
});

export const ExceptionsSchema: z.ZodType<EntryExceptions> = z.strictObject({
  consumers: z.array(Text).exactOptional(),
  purposes: z.array(Text).exactOptional(),
});

export const EntrySchema: z.ZodType<PolicyDocumentEntry> = z
  .strictObject({
    id: Id,
    version: z.number().int().min(1).max(2_147_483_647),
    ownerDepartment: Text,
    selector: SelectorSchema,
    shareClass: z.enum(['CONDITIONAL', 'NOT_SHARED']),
    legalBasis: Text.refine((s) => s.trim() !== '', 'must not be blank'),
    reason: Text.refine((s) => s.trim() !== '', 'must not be blank'),
    conditions: ConditionsSchema.exactOptional(),
    exceptions: ExceptionsSchema.exactOptional(),
    validFrom: Instant.exactOptional(),
    validUntil: Instant.exactOptional(),
    priority: z.number().int().min(-2_147_483_648).max(2_147_483_647),
    status: z.enum(['DRAFT', 'IN_REVIEW', 'ACTIVE', 'SUPERSEDED', 'REVOKED']),
    author: Text,
    approver: Text.exactOptional(),
  })
  .refine((e) => e.approver === undefined || e.approver !== e.author, {
    message: 'author and approver must differ',
    path: ['approver'],
  })
  .refine(
    (e) =>
      e.status === 'DRAFT' ||
      e.status === 'IN_REVIEW' ||
      e.approver !== undefined,
    {
      message:
        'a published version (ACTIVE, SUPERSEDED, REVOKED) needs an approver',
      path: ['approver'],
    },
  )
  .refine(
    (e) =>
      e.validFrom === undefined ||
      e.validUntil === undefined ||
      Date.parse(e.validFrom) < Date.parse(e.validUntil),
    { message: 'validFrom must be before validUntil', path: ['validUntil'] },
  );

export const GrantSchema: z.ZodType<Grant> = z
  .strictObject({
    id: Id,
    entryId: Id,
    consumerDepartment: Text,
    purpose: Text,
    coordinates: z.array(Coordinate).min(1),
    masks: Masks.exactOptional(),
    rowFilter: RowFilterSchema.exactOptional(),
    validFrom: Instant.exactOptional(),
    expiresAt: Instant,
    revoked: z.boolean(),
  })
  .refine(
    (g) =>
      g.validFrom === undefined ||
      Date.parse(g.validFrom) < Date.parse(g.expiresAt),
    { message: 'validFrom must be before expiresAt', path: ['expiresAt'] },
  );

const OneOrMany = z.union([Text, z.array(Text).min(1)]);

const RoleRuleObject = z.strictObject({
  action: OneOrMany,
  subject: OneOrMany,
  fields: OneOrMany.exactOptional(),
  conditions: z.record(z.string(), z.unknown()).exactOptional(),
  inverted: z.boolean().exactOptional(),
  reason: Text.exactOptional(),
});

/** A CASL raw rule (conditions are MongoDB-style queries: checked as objects). */
export const RoleRuleSchema = RoleRuleObject as unknown as z.ZodType<RoleRule>;

export const RoleNameSchema = Text;

export const AlgorithmFilingSchema: z.ZodType<AlgorithmFiling> = z.strictObject(
  {
    filingId: Id,
    state: z.enum(ALGORITHM_STATES),
    inputs: z.array(Coordinate),
  },
);

/** A classification tag: upper case, e.g. `GENERAL`, `PERSONAL_SENSITIVE`. */
export const ClassificationTagSchema = z
  .string()
  .regex(
    /^[A-Z][A-Z0-9_]{0,63}$/,
    'must be an upper-case tag like GENERAL or PERSONAL_SENSITIVE',
  );

export const FieldClassificationSchema: z.ZodType<FieldClassificationItem> =
  z.strictObject({
    coordinate: Coordinate,
    tags: z
      .array(ClassificationTagSchema)
      .min(1, 'a classification needs at least one tag')
      .max(16),
  });

export const PolicySettingsSchema: z.ZodType<PolicySettings> = z.strictObject({
  withholdUnclassified: z.boolean(),
});

/** The first problems of a failed parse, as `path: message; …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
