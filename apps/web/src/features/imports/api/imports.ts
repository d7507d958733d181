/**
 * Imports of an existing PKI (issue 14): upload an archive (POST .../imports with the archive as
 * the body), read an import again (GET .../imports/{id}), adopt it, discard it.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportAdopted, ImportView } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

/** The media type of an archive from its file name: .zip is application/zip, anything else (.tar.gz, .tgz) application/gzip. */
export const archiveType = (fileName: string) => (/\.zip$/i.test(fileName) ? 'application/zip' : 'application/gzip');

export const uploadImport = (cluster: string, file: Blob & { name: string }) =>
  apiFetch<ImportView>(`/clusters/${seg(cluster)}/imports`, { method: 'POST', raw: { data: file, type: archiveType(file.name) } });

export const getImport = (cluster: string, id: string) => apiFetch<ImportView>(`/clusters/${seg(cluster)}/imports/${seg(id)}`);

export const importQueryOptions = (cluster: string, id: string) =>
  queryOptions({ queryKey: [...queryKeys.cluster(cluster), 'imports', id] as const, queryFn: () => getImport(cluster, id) });

export const useImport = (cluster: string, id: string | undefined) =>
  useQuery({ ...importQueryOptions(cluster, id ?? ''), enabled: id !== undefined });

export const adoptImport = (cluster: string, id: string) =>
  apiFetch<ImportAdopted>(`/clusters/${seg(cluster)}/imports/${seg(id)}/adopt`, { method: 'POST', body: {} });

export const discardImport = (cluster: string, id: string) =>
  apiFetch<ImportView>(`/clusters/${seg(cluster)}/imports/${seg(id)}`, { method: 'DELETE' });

/** After an adoption or a discard the cluster's certificates, changes and nodes read anew. */
export function useImportActions(cluster: string) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: queryKeys.cluster(cluster) });
  return {
    adopt: useMutation({ mutationFn: (id: string) => adoptImport(cluster, id), onSuccess: refresh }),
    discard: useMutation({ mutationFn: (id: string) => discardImport(cluster, id), onSuccess: refresh }),
  };
}
