/** Each expected file of a node: state and why, mode, expected and remote SHA-256. */
import { Table, Text } from '@mantine/core';
import type { NodeFileStatus } from '@kpki/shared';
import { StateBadge } from './node-state-badge.tsx';

function Hash({ value, differs }: { value: string | null; differs?: boolean }) {
  return (
    <Text span ff="monospace" size="xs" c={differs ? 'red.8' : undefined} style={{ wordBreak: 'break-all' }}>
      {value || '—'}
    </Text>
  );
}

/** The reason in words; a mode that exposes a key is called out as a security problem. */
export function FileReason({ file }: { file: NodeFileStatus }) {
  if (!file.reason) return null;
  const security = file.reason.security;
  return (
    <Text size="sm" c={security ? 'red.8' : undefined} fw={security ? 600 : undefined} data-testid="file-reason" data-security={security ? 'true' : undefined}>
      {security && 'Security: '}
      {file.reason.message}
    </Text>
  );
}

export function NodeFilesTable({ files }: { files: NodeFileStatus[] }) {
  if (files.length === 0) {
    return (
      <Text size="sm" data-testid="node-files-empty">
        Nothing to hold: this node receives no files (a load balancer holds no Kubernetes certificates).
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped verticalSpacing="xs" data-testid="node-files-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>File</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th>Mode (expected / on node)</Table.Th>
            <Table.Th>Expected SHA-256</Table.Th>
            <Table.Th>SHA-256 on node</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {files.map((f) => {
            const modeDiffers = f.remoteMode !== null && f.remoteMode !== f.mode;
            const hashDiffers = f.remoteSha256 !== null && f.remoteSha256 !== f.expectedSha256;
            return (
              <Table.Tr key={f.file} data-testid={`file-row-${f.file}`} data-state={f.state}>
                <Table.Td ff="monospace">{f.file}</Table.Td>
                <Table.Td>
                  <StateBadge state={f.state} testId="file-state" />
                </Table.Td>
                <Table.Td maw={320}>
                  <FileReason file={f} />
                </Table.Td>
                <Table.Td ff="monospace">
                  {f.mode} /{' '}
                  <Text span c={modeDiffers ? 'red.8' : undefined} inherit>
                    {f.remoteMode ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td maw={260} data-testid="expected-sha256">
                  <Hash value={f.expectedSha256} />
                </Table.Td>
                <Table.Td maw={260} data-testid="remote-sha256">
                  <Hash value={f.remoteSha256} differs={hashDiffers} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
