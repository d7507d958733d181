/**
 * A cluster's overview, its dashboard: the CA (fingerprint, expiry), what expires first, nodes by
 * state, the last jobs, how many links work (once every node was verified), what needs attention,
 * then the guided flow (create the CA, review the plan, issue, distribute). Composes the clusters,
 * certificates, nodes, jobs, links, lifecycle, issuance and plan features (features do not import
 * each other).
 */
import { Card, Group, List, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { AnchorLink, ButtonLink } from '../../components/links.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { usePermissions } from '../../components/permissions.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatValidity } from '../../lib/time.ts';
import { useCertificates } from '../../features/certificates/api/get-certificates.ts';
import { CertificatesSummary } from '../../features/certificates/components/certificates-summary.tsx';
import { useCluster } from '../../features/clusters/api/get-cluster.ts';
import { DeleteClusterButton } from '../../features/clusters/components/delete-cluster-button.tsx';
import { isLeafIssuance, useIssuances } from '../../features/issuance/api/get-issuances.ts';
import { IssuanceStepper } from '../../features/issuance/components/issuance-stepper.tsx';
import { useJobs } from '../../features/jobs/api/get-jobs.ts';
import { RecentJobs } from '../../features/jobs/components/recent-jobs.tsx';
import { useNodes } from '../../features/nodes/api/get-nodes.ts';
import { allDistributed, DistributeStep, receivingNodeRows } from '../../features/nodes/components/distribute-step.tsx';
import { NodeCounts } from '../../features/nodes/components/node-counts.tsx';
import { PlanReview } from '../../features/plan/components/plan-review.tsx';
import { LinksSummary } from '../../features/links/components/links-summary.tsx';
import { WorkstationKubeconfigCard } from '../../features/kubeconfigs/components/workstation-kubeconfig.tsx';
import { SoonestExpiry } from '../../features/lifecycle/components/expiry-banner.tsx';
import { attentionItems, type AttentionItem } from './attention.ts';

const api = getRouteApi('/clusters/$cluster/');

const LEVEL_COLOR = { danger: 'red', warning: 'orange', info: 'indigo' } as const;
const LEVEL_WORD = { danger: 'Problem', warning: 'Out of date', info: 'Next' } as const;

function AttentionLink({ cluster, item }: { cluster: string; item: AttentionItem }) {
  if (item.node) return <AnchorLink to="/clusters/$cluster/nodes/$node" params={{ cluster, node: item.node }} search={{}} size="sm">{item.text}</AnchorLink>;
  if (item.certificate) return <AnchorLink to="/clusters/$cluster/certificates/$name" params={{ cluster, name: item.certificate }} search={{}} size="sm">{item.text}</AnchorLink>;
  if (item.nodesInState) return <AnchorLink to="/clusters/$cluster/nodes" params={{ cluster }} search={{ state: item.nodesInState }} size="sm">{item.text}</AnchorLink>;
  if (item.expiryState) return <AnchorLink to="/clusters/$cluster/expiry" params={{ cluster }} search={{ state: item.expiryState }} size="sm">{item.text}</AnchorLink>;
  if (item.job) return <AnchorLink to="/clusters/$cluster/jobs/$jobId" params={{ cluster, jobId: item.job }} size="sm">{item.text}</AnchorLink>;
  return <Text size="sm">{item.text}</Text>;
}

function Attention({ cluster, hasCa }: { cluster: string; hasCa: boolean }) {
  const nodes = useNodes(cluster);
  const certs = useCertificates(cluster, 'current');
  const jobs = useJobs(cluster);
  const issuances = useIssuances(cluster);
  const items = attentionItems({
    hasCa, issued: !!issuances.data?.some(isLeafIssuance), nodes: nodes.data ?? [], certificates: certs.data ?? [], jobs: jobs.data ?? [],
  });
  return (
    <Card withBorder component="section" aria-labelledby="dash-attention" data-testid="dashboard-attention" data-count={items.length}>
      <Title order={2} size="h5" id="dash-attention" mb="xs">
        Needs attention
      </Title>
      {items.length === 0 ? (
        <Text size="sm" data-testid="attention-none">
          Nothing: every node holds its current files and no certificate is near its expiry (the cluster's thresholds).
        </Text>
      ) : (
        <List spacing={6} size="sm" center>
          {items.map((item) => (
            <List.Item
              key={item.id}
              data-testid="attention-item"
              data-level={item.level}
              icon={
                <ThemeIcon size={10} radius="xl" color={LEVEL_COLOR[item.level]} aria-hidden>
                  <span />
                </ThemeIcon>
              }
            >
              <Text span size="xs" fw={700} c={LEVEL_COLOR[item.level]} mr={6}>
                {LEVEL_WORD[item.level]}:
              </Text>
              <AttentionLink cluster={cluster} item={item} />
            </List.Item>
          ))}
        </List>
      )}
    </Card>
  );
}

export function OverviewRoute() {
  const { cluster } = api.useParams();
  const { job, distribution } = api.useSearch();
  const navigate = useNavigate();
  const query = useCluster(cluster);
  const nodes = useNodes(cluster);
  const { canOperate } = usePermissions();
  const setSearch = (search: { job?: string; distribution?: string }) => navigate({ to: '/clusters/$cluster', params: { cluster }, search, replace: true });
  return (
    <QueryState query={query} label={`cluster ${cluster}`}>
      {(c) => (
        <>
          <PageHeader
            title={c.name}
            description={
              <Stack gap={2}>
                <Text size="sm" component="span" data-testid="cluster-facts">
                  {c.nodes.length} nodes · service CIDR {c.serviceCidr} · {c.clusterDomain} · {c.keyAlgorithm} · CA {formatValidity(c.caValidityHours)},
                  certificates {formatValidity(c.certValidityHours)}
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
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} data-testid="cluster-dashboard">
              <CertificatesSummary cluster={cluster} />
              <NodeCounts cluster={cluster} onJob={(id) => navigate({ to: '/clusters/$cluster/nodes', params: { cluster }, search: { job: id } })} />
              <RecentJobs cluster={cluster} />
            </SimpleGrid>
            {c.hasCa && <LinksSummary cluster={cluster} />}
            <Attention cluster={cluster} hasCa={c.hasCa} />
            <Card withBorder component="section" aria-labelledby="guided-flow">
              <Title order={2} size="h4" id="guided-flow" mb="sm">
                Guided flow
              </Title>
              <IssuanceStepper
                cluster={cluster}
                hasCa={c.hasCa}
                recipientNodes={receivingNodeRows(nodes.data ?? []).map((n) => n.name)}
                review={<PlanReview cluster={cluster} />}
                // the step stays while a distribution started here is shown, so its result is read and focus stays
                distributed={!distribution && allDistributed(nodes.data ?? [])}
                distribute={<DistributeStep cluster={cluster} jobId={distribution} onJobChange={(id) => setSearch({ distribution: id })} onDone={() => setSearch({})} />}
                jobId={job}
                onJobChange={(id) => setSearch(id ? { job: id } : {})}
              />
            </Card>
            {c.hasCa && c.generateConfigFiles !== false && <WorkstationKubeconfigCard cluster={cluster} />}
          </Stack>
        </>
      )}
    </QueryState>
  );
}
