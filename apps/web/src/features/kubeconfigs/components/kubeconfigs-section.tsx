/**
 * The kubeconfigs that concern one node or one certificate, for the node page ("the kubeconfigs
 * this node holds") and the certificate page ("the kubeconfigs that embed this certificate").
 */
import { Text } from '@mantine/core';
import type { KubeconfigSummary } from '@kpki/shared';
import { QueryState } from '../../../components/query-state.tsx';
import { useKubeconfigs } from '../api/get-kubeconfigs.ts';
import { KubeconfigsTable } from './kubeconfigs-table.tsx';

type Filter = { node: string } | { certificate: string };

const matches = (k: KubeconfigSummary, f: Filter) =>
  'node' in f ? k.recipients.includes(f.node) : k.embeds.some((e) => e.name === f.certificate);

export function KubeconfigsSection({ cluster, filter }: { cluster: string; filter: Filter }) {
  const query = useKubeconfigs(cluster);
  return (
    <QueryState query={query} label="kubeconfigs">
      {(all) => {
        const list = all.filter((k) => matches(k, filter));
        if (list.length === 0) {
          return (
            <Text size="sm" c="dimmed" data-testid="kubeconfigs-none">
              {all.length === 0
                ? 'This cluster generates no kubeconfigs (its settings turn the generated files off).'
                : 'node' in filter
                  ? 'This node holds no kubeconfig.'
                  : 'No kubeconfig embeds this certificate.'}
            </Text>
          );
        }
        return (
          <>
            <Text size="sm" mb="xs" data-testid="kubeconfigs-summary">
              {'node' in filter
                ? `${filter.node} holds ${list.map((k) => k.file).join(', ')}.`
                : `Embedded in ${list.length} kubeconfig${list.length > 1 ? 's' : ''}: ${list.map((k) => k.name === 'admin-workstation' ? "the workstation's admin.kubeconfig" : k.file).join(', ')}. A renewal of this certificate changes them at once; the nodes holding them turn stale until redistributed.`}
            </Text>
            <KubeconfigsTable cluster={cluster} kubeconfigs={list} />
          </>
        );
      }}
    </QueryState>
  );
}
