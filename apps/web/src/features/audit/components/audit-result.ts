/** How an audit result reads: "ok" green, refused (401, 403, 429) orange, other failures red. auditOutcome() is the shared one the server counts by. */
import type { AuditOutcome } from '@kpki/shared';

export { auditOutcome, AUDIT_OUTCOMES, type AuditOutcome } from '@kpki/shared';

export const OUTCOME_COLORS: Record<AuditOutcome, string> = { ok: 'green', denied: 'orange', failed: 'red' };
