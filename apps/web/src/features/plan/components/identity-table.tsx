/**
 * The identity table: what Kubernetes makes of each certificate's CN and O, from the plan's talks
 * view (every certificate but the kubelets past the first few, and every kubelet's name). Past
 * INLINE_NAMES workers, the kubelets' identities are one row: how many, the CN and identity of
 * the first with "<node>" for the node's name, and a search that finds one node's certificate.
 */
import { Table, Text } from '@mantine/core';
import type { PlannedCertificate, PlanTalksView } from '@kpki/shared';
import { INLINE_NAMES } from './matrix-model.ts';
import { NameGroup } from './name-group.tsx';
import { AnchorLink } from '../../../components/links.tsx';

/** The kubelet's CN and identity with its node's name replaced by "<node>". */
const generic = (text: string, c: PlannedCertificate) => text.split(`system:node:${c.name}`).join('system:node:<node>');

export function IdentityTable({ cluster, plan }: { cluster: string; plan: Pick<PlanTalksView, 'certificates' | 'kubelets'> }) {
  const all = plan.certificates.filter((c) => !c.isCa);
  const kubelets = all.filter((c) => c.kind === 'kubelet');
  const grouped = plan.kubelets.names.length > INLINE_NAMES;
  // the group takes the place of the first kubelet; the other kubelets have no row of their own
  const items = grouped ? all.filter((c) => c.kind !== 'kubelet' || c === kubelets[0]) : all;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped data-testid="identity-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Component</Table.Th>
            <Table.Th>CN</Table.Th>
            <Table.Th>O</Table.Th>
            <Table.Th>Kubernetes identity</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (grouped && c.kind === 'kubelet' ? <KubeletGroup key="kubelets" cluster={cluster} first={c} names={plan.kubelets.names} /> : <IdentityRow key={c.name} c={c} />))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function KubeletGroup({ cluster, first, names }: { cluster: string; first: PlannedCertificate; names: string[] }) {
  return (
    <Table.Tr data-testid="identity-group-kubelet">
      <Table.Td>
        <NameGroup
          names={names}
          noun="kubelet"
          render={(name) => (
            <AnchorLink to="/clusters/$cluster/certificates/$name" params={{ cluster, name }} search={{}} ff="monospace" size="sm">
              {name}
            </AnchorLink>
          )}
        />
      </Table.Td>
      <Table.Td ff="monospace">{generic(first.cn, first)}</Table.Td>
      <Table.Td ff="monospace">{first.o || '—'}</Table.Td>
      <Table.Td>{first.identity ? generic(first.identity, first) : first.usedFor}</Table.Td>
    </Table.Tr>
  );
}

function IdentityRow({ c }: { c: PlannedCertificate }) {
  return (
    <Table.Tr data-testid={`identity-row-${c.name}`}>
      <Table.Td>{c.usedBy}</Table.Td>
      <Table.Td ff="monospace">{c.cn}</Table.Td>
      <Table.Td ff="monospace">{c.o || '—'}</Table.Td>
      <Table.Td>
        {c.identity ?? (
          <Text span size="sm" c="dimmed">
            {c.usedFor}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
