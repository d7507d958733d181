/**
 * The fixed lists (roles, job statuses, audit outcomes) and their helpers, without TypeBox: the
 * web app's first chunk needs these but none of the schemas (a module's schemas come with any of
 * its exports). api/auth.ts and api/jobs.ts re-export them beside the schemas they match.
 */
import type { AuditOutcome, Role } from './api/auth.ts';
import type { JobStatus } from './api/jobs.ts';

/** Roles from least to most. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
export const roleAtLeast = (have: Role, need: Role) => ROLES.indexOf(have) >= ROLES.indexOf(need);

/** The outcomes in the order they are shown. */
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['ok', 'denied', 'failed'];
/** The HTTP statuses that make a failed line a refusal (denied). */
export const AUDIT_DENIED_STATUSES: readonly string[] = ['401', '403', '429'];

/** Every status, in the order a job goes through them. */
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'interrupted'];

/** The statuses a job ends in: nothing changes it afterwards. */
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'interrupted'];

/** True when a job with this status has ended. */
export const isJobFinished = (status: string): boolean => (FINISHED_JOB_STATUSES as readonly string[]).includes(status);
