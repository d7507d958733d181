/**
 * GET /clusters/{cluster}/ca-rotation?view=summary: the phase and how many nodes are in step (the
 * banner above every page of a cluster). Apart from api/ca-rotation.ts so that the frame of every
 * page loads neither the rotation page nor its full answer.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CaRotationPhase, CaRotationSummary } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getCaRotationSummary = (cluster: string) => apiFetch<CaRotationSummary>(`/clusters/${seg(cluster)}/ca-rotation?view=summary`);

/** Under the cluster's key (a finished job refreshes it with the rest of the cluster), beside the full answer's. */
export const caRotationSummaryQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: [...queryKeys.cluster(cluster), 'ca-rotation', 'summary'] as const, queryFn: () => getCaRotationSummary(cluster) });

export const useCaRotationSummary = (cluster: string) => useQuery(caRotationSummaryQueryOptions(cluster));

/** The phase as the cluster shows it. */
export function phaseLabel(phase: CaRotationPhase): string {
  return phase === 'none' ? 'CA rotation: none in progress' : `CA rotation: ${phase}`;
}
