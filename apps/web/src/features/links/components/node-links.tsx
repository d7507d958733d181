/** The links a node takes part in (as client or server), checked with the files the nodes hold. */
import { Text } from '@mantine/core';
import { QueryState } from '../../../components/query-state.tsx';
import { useLinks } from '../api/get-links.ts';
import { nodeEdges, filterEdges } from './links-model.ts';
import { LinksTable } from './links-table.tsx';

export function NodeLinks({ cluster, node }: { cluster: string; node: string }) {
  const query = useLinks(cluster, 'deployed');
  return (
    <QueryState query={query} label="the links of this node">
      {(r) => {
        const edges = filterEdges(nodeEdges(r.edges, node), { failingOnly: false, text: '' });
        if (edges.length === 0) {
          return (
            <Text size="sm" c="dimmed" data-testid="node-links-none">
              No link reads files of {node}.
            </Text>
          );
        }
        const fails = edges.filter((e) => e.verdict === 'fails').length;
        return (
          <>
            <Text size="sm" mb="xs" c={fails ? 'red' : undefined} data-testid="node-links-summary" data-fails={fails}>
              {edges.length - fails} of {edges.length} links of {node} work, with the files the nodes held at their last verify.
            </Text>
            <LinksTable edges={edges} testId="node-links-table" />
          </>
        );
      }}
    </QueryState>
  );
}
