/**
 * SSH set-up for fleets (issue 16): the ssh_config / known_hosts import, the bulk host-key scan
 * and pin, the first address as SSH host, the cluster's SSH defaults. Writes send the cluster's
 * version the page started from (If-Match); afterwards the nodes and the cluster are read again.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BulkSshAnswer, Cluster, HostKeyReview, SshDefaults, SshImportAnswer, SshImportRequest } from '@kpki/shared';
import { apiFetch, apiFetchVersioned, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { useVersionedCluster } from '../../../api/cluster-version.ts';

const base = (cluster: string) => `/clusters/${seg(cluster)}`;

export const postSshImport = (cluster: string, body: SshImportRequest, ifMatch?: string | null) =>
  apiFetch<SshImportAnswer>(`${base(cluster)}/ssh-import`, { method: 'POST', body, ifMatch: body.apply ? (ifMatch ?? undefined) : undefined });

export const postHostKeyScan = (cluster: string, nodes?: string[], knownHosts?: string) =>
  apiFetch<HostKeyReview>(`${base(cluster)}/host-key-scan`, { method: 'POST', body: { ...(nodes ? { nodes } : {}), ...(knownHosts ? { knownHosts } : {}) } });

export const postHostKeys = (cluster: string, pins: Array<{ node: string; fingerprint: string }>, ifMatch?: string | null) =>
  apiFetch<BulkSshAnswer>(`${base(cluster)}/host-keys`, { method: 'POST', body: { pins }, ifMatch: ifMatch ?? undefined });

export const postFirstAddress = (cluster: string, nodes: string[], ifMatch?: string | null) =>
  apiFetch<BulkSshAnswer>(`${base(cluster)}/ssh-hosts/first-address`, { method: 'POST', body: { nodes }, ifMatch: ifMatch ?? undefined });

export const putSshDefaults = (cluster: string, defaults: SshDefaults, ifMatch?: string | null) =>
  apiFetchVersioned<Cluster>(`${base(cluster)}/ssh-defaults`, { method: 'PUT', body: defaults, ifMatch: ifMatch ?? undefined });

/** Everything of the cluster is read again after an SSH write (nodes, states, the cluster and its version). */
function useRefresh(cluster: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: queryKeys.cluster(cluster) });
}

/** The import: `mutate(body)`; with `apply` it sends the version the page started from. */
export function useSshImport(cluster: string) {
  const version = useVersionedCluster(cluster);
  const refresh = useRefresh(cluster);
  return useMutation({
    mutationFn: (body: SshImportRequest) => postSshImport(cluster, body, version.data?.etag),
    onSuccess: (answer) => (answer.applied ? refresh() : undefined),
  });
}

export const useHostKeyScan = (cluster: string) =>
  useMutation({ mutationFn: ({ nodes, knownHosts }: { nodes?: string[]; knownHosts?: string }) => postHostKeyScan(cluster, nodes, knownHosts) });

export function usePinHostKeys(cluster: string) {
  const version = useVersionedCluster(cluster);
  const refresh = useRefresh(cluster);
  return useMutation({ mutationFn: (pins: Array<{ node: string; fingerprint: string }>) => postHostKeys(cluster, pins, version.data?.etag), onSuccess: refresh });
}

export function useFirstAddress(cluster: string) {
  const version = useVersionedCluster(cluster);
  const refresh = useRefresh(cluster);
  return useMutation({ mutationFn: (nodes: string[]) => postFirstAddress(cluster, nodes, version.data?.etag), onSuccess: refresh });
}

export function usePutSshDefaults(cluster: string) {
  const version = useVersionedCluster(cluster);
  const refresh = useRefresh(cluster);
  return useMutation({ mutationFn: (defaults: SshDefaults) => putSshDefaults(cluster, defaults, version.data?.etag), onSuccess: refresh });
}
