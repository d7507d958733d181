/** POST /clusters/{cluster}/nodes/{node}/host-key-scan: the node's host key fingerprint (pins nothing). */
import { useMutation } from '@tanstack/react-query';
import type { HostKeyScan } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';

export const scanHostKey = (cluster: string, node: string) =>
  apiFetch<HostKeyScan>(`/clusters/${seg(cluster)}/nodes/${seg(node)}/host-key-scan`, { method: 'POST' });

export const useScanHostKey = (cluster: string, node: string) => useMutation({ mutationFn: () => scanHostKey(cluster, node) });
