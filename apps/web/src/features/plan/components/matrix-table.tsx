/** The tutorial's "who talks to whom" for this cluster: a clients-by-servers grid and the list of edges. */
import type { ReactNode } from 'react';
import { Group, Stack, Table, Text } from '@mantine/core';
import type { MatrixRow } from '@kpki/shared';
import { displayRows, toMatrixGrid } from './matrix-model.ts';
import { NameGroup } from './name-group.tsx';
import { AnchorLink } from '../../../components/links.tsx';

function CertLink({ cluster, name }: { cluster: string; name: string }) {
  return (
    <AnchorLink to="/clusters/$cluster/certificates/$name" params={{ cluster, name }} search={{}} ff="monospace" size="sm">
      {name}
    </AnchorLink>
  );
}

/** The kind of client of plan row `index` ("kubelet"), what a group counts. */
const nounOf = (rows: MatrixRow[], index: number | undefined) => (index === undefined ? 'certificate' : (rows[index]?.client ?? 'certificate'));

/** The certificates of a cell or row: named inline, or as a group with a count and a search when they are many. */
function Certificates({ cluster, certificates, grouped, noun }: { cluster: string; certificates: string[]; grouped: boolean; noun: string }) {
  if (grouped) return <NameGroup names={certificates} noun={noun} render={(name) => <CertLink cluster={cluster} name={name} />} />;
  return (
    <Group gap={6}>
      {certificates.map((c) => (
        <CertLink key={c} cluster={cluster} name={c} />
      ))}
    </Group>
  );
}

/** `rowBadges[i]`, when given, is shown with the cell (or row) of the plan's matrix row i (e.g. whether its links work). */
export function MatrixGridTable({ cluster, rows, rowBadges }: { cluster: string; rows: MatrixRow[]; rowBadges?: ReactNode[] }) {
  const grid = toMatrixGrid(rows);
  return (
    <Table.ScrollContainer minWidth={120 + grid.servers.length * 140}>
      <Table withTableBorder withColumnBorders data-testid="matrix-grid">
        <Table.Caption>Rows: the client. Columns: the server it connects to. Cell: the certificate the client presents.</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">client \ server</Table.Th>
            {grid.servers.map((s) => (
              <Table.Th key={s} scope="col">
                {s}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {grid.clients.map((client) => (
            <Table.Tr key={client}>
              <Table.Th scope="row">{client}</Table.Th>
              {grid.servers.map((server) => {
                const certs = grid.cells[client]?.[server] ?? [];
                const badge = rowBadges?.[grid.rowOf[client]?.[server] ?? -1];
                return (
                  <Table.Td key={server} data-testid={certs.length ? 'matrix-cell' : undefined} data-client={client} data-server={server}>
                    {certs.length ? (
                      <Stack gap={4}>
                        <Certificates cluster={cluster} certificates={certs} grouped={grid.grouped.has(client)} noun={nounOf(rows, grid.rowOf[client]?.[server])} />
                        {badge}
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed" aria-label="no connection">
                        ·
                      </Text>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function MatrixEdgeTable({ cluster, rows, rowBadges }: { cluster: string; rows: MatrixRow[]; rowBadges?: ReactNode[] }) {
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped data-testid="matrix-edges">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Client</Table.Th>
            <Table.Th>Server</Table.Th>
            <Table.Th>Certificate presented</Table.Th>
            {rowBadges && <Table.Th>Links</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {displayRows(rows).map((e, i) => (
            <Table.Tr key={`${e.client}|${e.server}`} data-testid="matrix-edge">
              <Table.Td>{e.client}</Table.Td>
              <Table.Td>{e.server}</Table.Td>
              <Table.Td>
                <Certificates cluster={cluster} certificates={e.certificates} grouped={e.grouped} noun={rows[i].client} />
              </Table.Td>
              {rowBadges && <Table.Td>{rowBadges[i]}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
