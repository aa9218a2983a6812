// The roles of the token that decide a user's pages (routes.tsx) and what a
// page offers them.

/** The algorithm reviewers (算法备案审核员) of the cyberspace administration. */
export const REVIEWER_ROLES = ['algorithm-reviewer'] as const;

/**
 * Algorithm owners (算法主体) of a department: they file their algorithms
 * and upload the evidence; the registry and a filing's page are theirs too.
 */
export const FILER_ROLES = ['algorithm-owner'] as const;

/** City-level auditors (审计员): the access log, read-only. */
export const AUDITOR_ROLES = ['auditor'] as const;

/** Duty officers (值班员) of the emergency and water departments. */
export const DUTY_ROLES = ['duty-officer'] as const;

/** Departments' data officers (数据专员), who run their negative list. */
export const OFFICER_ROLES = ['data-officer'] as const;
