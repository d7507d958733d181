/**
 * A cluster's overview: its facts, its soonest expiry, how many links work (once every node was verified) and the
 * issuance stepper, whose review step shows the plan. Composes the clusters, links, issuance and
 * plan features (features do not import each other).
 */
import { Group, Stack, Text } from '@mantine/core';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { receivingNodes } from '@kpki/shared';
import { usePlan } from '../../api/get-plan.ts';
import { useCluster } from '../../features/clusters/api/get-cluster.ts';
import { DeleteClusterButton } from '../../features/clusters/components/delete-cluster-button.tsx';
import { IssuanceStepper } from '../../features/issuance/components/issuance-stepper.tsx';
import { PlanReview } from '../../features/plan/components/plan-review.tsx';
import { LinksSummary } from '../../features/links/components/links-summary.tsx';
import { WorkstationKubeconfigCard } from '../../features/kubeconfigs/components/workstation-kubeconfig.tsx';
import { SoonestExpiry } from '../../features/lifecycle/components/expiry-banner.tsx';
import { ButtonLink } from '../../components/links.tsx';
import { usePermissions } from '../../components/permissions.tsx';

const api = getRouteApi('/clusters/$cluster/');

export function OverviewRoute() {
  const { cluster } = api.useParams();
  const { job } = api.useSearch();
  const navigate = useNavigate();
  const query = useCluster(cluster);
  const plan = usePlan(cluster);
  const { canOperate } = usePermissions();
  return (
    <QueryState query={query} label={`cluster ${cluster}`}>
      {(c) => (
        <>
          <PageHeader
            title={c.name}
            description={
              <Stack gap={2}>
                <Text size="sm" c="dimmed" component="span">
                  {c.nodes.length} nodes · service CIDR {c.serviceCidr} · {c.clusterDomain} · {c.keyAlgorithm} · CA {c.caValidityHours} h,
                  certificates {c.certValidityHours} h
                </Text>
                {c.hasCa && <SoonestExpiry cluster={cluster} />}
              </Stack>
            }
            actions={
              canOperate ? (
                <Group gap="xs">
                  <ButtonLink to="/clusters/$cluster/edit" params={{ cluster }} variant="default" data-testid="edit-topology">
                    Edit topology
                  </ButtonLink>
                  <DeleteClusterButton cluster={cluster} onDeleted={() => navigate({ to: '/' })} />
                </Group>
              ) : undefined
            }
          />
          <Stack gap="md">
            {c.hasCa && <LinksSummary cluster={cluster} />}
            <IssuanceStepper
              cluster={cluster}
              hasCa={c.hasCa}
              recipientNodes={plan.data ? receivingNodes(plan.data.files) : []}
              review={<PlanReview cluster={cluster} />}
              jobId={job}
              onJobChange={(id) => navigate({ to: '/clusters/$cluster', params: { cluster }, search: { job: id }, replace: !id })}
              onIssued={() => navigate({ to: '/clusters/$cluster/certificates', params: { cluster } })}
            />
            {c.hasCa && c.generateConfigFiles !== false && <WorkstationKubeconfigCard cluster={cluster} />}
          </Stack>
        </>
      )}
    </QueryState>
  );
}
