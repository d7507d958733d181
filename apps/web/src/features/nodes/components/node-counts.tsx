/** For the cluster's dashboard: how many nodes are in each state, and the offer to verify old states. */
import { Card, Group, Stack, Title } from '@mantine/core';
import type { NodeState, NodeRow } from '@kpki/shared';
import { AnchorLink, ButtonLink } from '../../../components/links.tsx';
import { useNodes } from '../api/get-nodes.ts';
import { VerifyOffer } from './distribution-actions.tsx';
import { NODE_STATE_ORDER, STATE_COLORS } from './node-state.ts';

/** Nodes per state, worst first as the list reads. */
export function countByState(nodes: NodeRow[]): Array<[NodeState, number]> {
  const order = NODE_STATE_ORDER;
  const counts = new Map<NodeState, number>();
  for (const n of nodes) counts.set(n.status.state, (counts.get(n.status.state) ?? 0) + 1);
  return order.filter((s) => counts.has(s)).map((s) => [s, counts.get(s)!]);
}

/** A link per state ("482 in-sync"), worst first, each to the nodes page filtered to that state; test ids `${testId}-<state>`. */
export function StateCountLinks({ cluster, nodes, testId = 'node-count' }: { cluster: string; nodes: NodeRow[]; testId?: string }) {
  return (
    <Group gap={6} wrap="wrap">
      {countByState(nodes).map(([state, n]) => (
        <ButtonLink
          key={state}
          to="/clusters/$cluster/nodes"
          params={{ cluster }}
          search={{ state }}
          size="compact-xs"
          color={STATE_COLORS[state]}
          variant="light"
          data-testid={`${testId}-${state}`}
          data-count={n}
          title={`list the ${state} nodes`}
        >
          {n} {state}
        </ButtonLink>
      ))}
    </Group>
  );
}

export function NodeCounts({ cluster, onJob }: { cluster: string; onJob: (jobId: string) => void }) {
  const nodes = useNodes(cluster);
  const items = nodes.data ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="dash-nodes" data-testid="dashboard-node-counts">
      <Title order={2} size="h5" id="dash-nodes" mb="xs">
        Nodes
      </Title>
      <Stack gap="xs">
        <StateCountLinks cluster={cluster} nodes={items} />
        <AnchorLink to="/clusters/$cluster/nodes" params={{ cluster }} search={{}} size="sm">
          All {items.length} nodes
        </AnchorLink>
        <VerifyOffer cluster={cluster} nodes={items} onJob={onJob} compact />
      </Stack>
    </Card>
  );
}
