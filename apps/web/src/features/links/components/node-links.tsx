/** The links a node takes part in (as client or as server), checked with the files the nodes hold: the server picks them (GET /links?node=), a page at a time. */
import { useState } from 'react';
import { Text } from '@mantine/core';
import { QueryState } from '../../../components/query-state.tsx';
import { useLinks } from '../api/get-links.ts';
import { LinksTable } from './links-table.tsx';

export function NodeLinks({ cluster, node }: { cluster: string; node: string }) {
  const [page, setPage] = useState(1);
  const query = useLinks(cluster, 'deployed', 0, { node, page });
  return (
    <QueryState query={query} label="the links of this node">
      {(r) => {
        const matched = r.page?.matched ?? r.edges.length;
        if (matched === 0) {
          return (
            <Text size="sm" c="dimmed" data-testid="node-links-none">
              No link reads files of {node}.
            </Text>
          );
        }
        const fails = r.page?.matchedFails ?? r.edges.filter((e) => e.verdict === 'fails').length;
        return (
          <>
            <Text size="sm" mb="xs" c={fails ? 'red' : undefined} data-testid="node-links-summary" data-fails={fails}>
              {matched - fails} of {matched} links of {node} work, with the files the nodes held at their last verify.
            </Text>
            <LinksTable edges={r.edges} matched={matched} page={page} onPage={setPage} testId="node-links-table" />
          </>
        );
      }}
    </QueryState>
  );
}
