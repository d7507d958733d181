/**
 * The audit log as a file an admin takes away: the lines a filter keeps, newest first, as CSV
 * (one line each, with the action in words, the nodes and the CA key flag) or JSON.
 */
import { auditCaKey, auditNodes, auditSentence, type AuditEntry } from '@kpki/shared';
import type { Deps } from '../context.ts';
import type { AuditFilter } from '@kpki/shared';

export type AuditExportFormat = 'csv' | 'json';

const CSV_COLUMNS = ['id', 'at', 'actor', 'token', 'what', 'action', 'object', 'nodes', 'caKey', 'address', 'result', 'details'] as const;

/** A CSV field: quoted when it holds a comma, quote or line break; a leading =+-@ is escaped so a spreadsheet never runs it. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(e: AuditEntry): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: String(e.id), at: e.at, actor: e.actor, token: e.token ? `${e.token.name} (${e.token.id})` : '', what: auditSentence(e), action: e.action,
    object: e.object, nodes: auditNodes(e).join(' '), caKey: auditCaKey(e) ? 'yes' : 'no', address: e.address, result: e.result,
    details: e.details === null ? '' : JSON.stringify(e.details),
  };
  return CSV_COLUMNS.map((c) => csvField(cells[c])).join(',');
}

/** The export file: its name and content. */
export function exportAudit(deps: Deps, filter: AuditFilter, format: AuditExportFormat): { name: string; content: string; type: string } {
  const stamp = deps.now().toISOString().replace(/[:.]/g, '-');
  const entries = [...deps.audit.matching(filter)];
  if (format === 'json') {
    const items = entries.map((e) => ({ ...e, what: auditSentence(e), nodes: auditNodes(e), caKey: auditCaKey(e) }));
    return { name: `kpki-audit-${stamp}.json`, type: 'application/json', content: `${JSON.stringify({ filter, items }, null, 2)}\n` };
  }
  return { name: `kpki-audit-${stamp}.csv`, type: 'text/csv; charset=utf-8', content: [CSV_COLUMNS.join(','), ...entries.map(csvRow)].join('\r\n') + '\r\n' };
}
