/** POST /backups (admin) -> 201 {file, note}: a consistent online copy of the database, on the server's disk. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BackupCreated } from '@kpki/shared';
import { apiFetch } from '../../../api/client.ts';

export const createBackup = () => apiFetch<BackupCreated>('/backups', { method: 'POST' });

/** The backup is audited: the log is refreshed afterwards. */
export function useCreateBackup() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createBackup, onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'audit'] }) });
}
