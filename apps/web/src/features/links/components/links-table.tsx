/** Links as a table, one page of them (the server's): verdict (reasons on hover), client, server, address, certificate, first reason; a row opens its details. */
import { useState } from 'react';
import { Group, Pagination, Table, Text, UnstyledButton } from '@mantine/core';
import type { LinkEdge } from '@kpki/shared';
import { LINKS_PAGE } from '../api/get-links.ts';
import { LinkDetails } from './link-details.tsx';
import { reasonLine } from './links-model.ts';
import { VerdictBadge } from './verdict-badge.tsx';

interface LinksTableProps {
  /** the links of this page */
  edges: LinkEdge[];
  /** how many links match in all (every page) */
  matched: number;
  /** 1-based */
  page: number;
  onPage: (page: number) => void;
  testId?: string;
}

export function LinksTable({ edges, matched, page, onPage, testId = 'links-table' }: LinksTableProps) {
  const [open, setOpen] = useState<LinkEdge | null>(null);
  const pages = Math.max(1, Math.ceil(matched / LINKS_PAGE));
  const shown = edges;
  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover verticalSpacing="xs" data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Verdict</Table.Th>
              <Table.Th>Client</Table.Th>
              <Table.Th>Server</Table.Th>
              <Table.Th>Dials</Table.Th>
              <Table.Th>Presents</Table.Th>
              <Table.Th>First reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text size="sm" c="dimmed" data-testid="links-empty">
                    No link matches.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              shown.map((e) => (
                <Table.Tr key={e.id} data-testid="link-row" data-link={e.id} data-verdict={e.verdict}>
                  <Table.Td>
                    <VerdictBadge edge={e} />
                  </Table.Td>
                  <Table.Td>
                    <UnstyledButton onClick={() => setOpen(e)} fz="sm" td="underline" data-testid="link-open" aria-label={`Details of ${e.id}`}>
                      {e.client}
                    </UnstyledButton>
                    {e.clientNode && !e.client.includes(`(${e.clientNode})`) && (
                      <Text span size="sm" c="dimmed">
                        {' '}on {e.clientNode}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td fz="sm">
                    {e.server}{' '}
                    <Text span size="sm" c="dimmed">
                      on {e.serverNode}
                    </Text>
                  </Table.Td>
                  <Table.Td ff="monospace" fz="sm">
                    {e.address}:{e.port}
                  </Table.Td>
                  <Table.Td ff="monospace" fz="sm">
                    {e.certificate}.pem
                  </Table.Td>
                  <Table.Td maw={420} fz="xs" ff="monospace" style={{ wordBreak: 'break-word' }} data-testid="link-first-reason">
                    {e.reasons[0] ? reasonLine(e.reasons[0]) : ''}
                  </Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Group justify="center">
          <Pagination total={pages} value={Math.min(page, pages)} onChange={onPage} size="sm" aria-label="Pages of links" />
        </Group>
      )}
      <LinkDetails edge={open} onClose={() => setOpen(null)} />
    </>
  );
}
