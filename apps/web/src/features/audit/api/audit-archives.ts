/** GET /audit/archives, POST /audit/archives {before} (admin, browser session): the audit log's retention and export. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditArchive } from '@kpki/shared';
import { apiFetch, apiUrl } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getAuditArchives = () => apiFetch<{ items: AuditArchive[] }>('/audit/archives').then((r) => r.items);
export const useAuditArchives = () => useQuery({ queryKey: queryKeys.auditArchives(), queryFn: getAuditArchives });
export const auditArchiveUrl = (id: number) => apiUrl(`/audit/archives/${id}/file`);

/** Archiving removes lines from the log: both the log and the archive list are refreshed. */
export function useArchiveAudit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (before: string) => apiFetch<AuditArchive>('/audit/archives', { method: 'POST', body: { before } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'audit'] }),
  });
}
