/** Each expected file of a node: mode, expected and remote SHA-256, state. */
import { Table, Text } from '@mantine/core';
import type { NodeFileStatus } from '@kpki/shared';
import { StateBadge } from './node-state-badge.tsx';

function Hash({ value, differs }: { value: string | null; differs?: boolean }) {
  return (
    <Text span ff="monospace" size="xs" c={differs ? 'red' : undefined} style={{ wordBreak: 'break-all' }}>
      {value ?? '—'}
    </Text>
  );
}

export function NodeFilesTable({ files }: { files: NodeFileStatus[] }) {
  if (files.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="node-files-empty">
        This node receives no files (a load balancer holds no Kubernetes certificates).
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped verticalSpacing="xs" data-testid="node-files-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>File</Table.Th>
            <Table.Th>Mode (expected / on node)</Table.Th>
            <Table.Th>Expected SHA-256</Table.Th>
            <Table.Th>SHA-256 on node</Table.Th>
            <Table.Th>State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {files.map((f) => {
            const modeDiffers = f.remoteMode !== null && f.remoteMode !== f.mode;
            const hashDiffers = f.remoteSha256 !== null && f.remoteSha256 !== f.expectedSha256;
            return (
              <Table.Tr key={f.file} data-testid={`file-row-${f.file}`} data-state={f.state}>
                <Table.Td ff="monospace">{f.file}</Table.Td>
                <Table.Td ff="monospace">
                  {f.mode} /{' '}
                  <Text span c={modeDiffers ? 'red' : undefined} inherit>
                    {f.remoteMode ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td maw={260} data-testid="expected-sha256">
                  <Hash value={f.expectedSha256} />
                </Table.Td>
                <Table.Td maw={260} data-testid="remote-sha256">
                  <Hash value={f.remoteSha256} differs={hashDiffers} />
                </Table.Td>
                <Table.Td>
                  <StateBadge state={f.state} testId="file-state" />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
