/** How an audit result reads: "ok" green, refused (401, 403, 429) orange, other failures red. Pure. */
export type AuditOutcome = 'ok' | 'denied' | 'failed';

export function auditOutcome(result: string): AuditOutcome {
  if (result === 'ok') return 'ok';
  const status = /\((\d{3})\)/.exec(result)?.[1];
  if (status === '401' || status === '403' || status === '429') return 'denied';
  return 'failed';
}

export const OUTCOME_COLORS: Record<AuditOutcome, string> = { ok: 'green', denied: 'orange', failed: 'red' };
