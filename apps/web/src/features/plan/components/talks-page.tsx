/** "Who talks to whom": the matrix, the identities and the SANs of the servers, live from the plan (its talks view, a few kB for 1,000 nodes). */
import type { ReactNode } from 'react';
import { Stack, Text, Title } from '@mantine/core';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { usePlanTalks } from '../../../api/get-plan.ts';
import { IdentityTable } from './identity-table.tsx';
import { MatrixEdgeTable, MatrixGridTable } from './matrix-table.tsx';
import { SanTables } from './san-tables.tsx';

/**
 * `rowBadges[i]` is shown with matrix row i, and `links` (the link check) under the connections:
 * the route composes them from the links feature.
 */
export function TalksPage({ cluster, rowBadges, links }: { cluster: string; rowBadges?: ReactNode[]; links?: ReactNode }) {
  const plan = usePlanTalks(cluster);
  return (
    <>
      <PageHeader
        title="Who talks to whom"
        description="Every connection is mutual TLS: the server is checked against ca.pem, and the address the client dials must be one of the server certificate's SANs."
      />
      <QueryState query={plan} label="the plan">
        {(p) => (
          <Stack gap="xl">
            <Stack gap="xs" component="section" aria-labelledby="matrix-title">
              <Title order={2} size="h3" id="matrix-title">
                Connections ({p.matrixRows.length})
              </Title>
              <MatrixGridTable cluster={cluster} rows={p.matrixRows} rowBadges={rowBadges} />
              <MatrixEdgeTable cluster={cluster} rows={p.matrixRows} rowBadges={rowBadges} />
            </Stack>
            {links && (
              <Stack gap="xs" component="section" aria-labelledby="links-title">
                <Title order={3} id="links-title">
                  Will it work?
                </Title>
                {links}
              </Stack>
            )}
            <Stack gap="xs" component="section" aria-labelledby="identity-title">
              <Title order={2} size="h3" id="identity-title">
                Identities
              </Title>
              <Text size="sm" c="dimmed">
                The API server reads a client certificate's CN as the user and each O as a group.
              </Text>
              <IdentityTable cluster={cluster} plan={p} />
            </Stack>
            <Stack gap="xs" component="section" aria-labelledby="sans-title">
              <Title order={2} size="h3" id="sans-title">
                Server names (SANs)
              </Title>
              <SanTables cluster={cluster} plan={p} />
            </Stack>
          </Stack>
        )}
      </QueryState>
    </>
  );
}
