/** Each expected file of a node: state and why, mode, expected and remote SHA-256. Cards in a narrow window. */
import { Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { NodeFileStatus } from '@kpki/shared';
import { DataTable } from '../../../components/data-table.tsx';
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

const col = createColumnHelper<NodeFileStatus>();

const columns = [
  col.accessor('file', { header: 'File', cell: (i) => <Text ff="monospace" size="sm" fw={600}>{i.getValue()}</Text> }),
  col.accessor('state', { header: 'State', cell: (i) => <StateBadge state={i.getValue()} testId="file-state" /> }),
  col.accessor((f) => f.reason?.message ?? '', { id: 'reason', header: 'Why', cell: (i) => <FileReason file={i.row.original} />, enableSorting: false }),
  col.accessor('remoteMode', {
    header: 'Mode (expected / on node)',
    enableSorting: false,
    cell: (i) => {
      const f = i.row.original;
      return (
        <Text ff="monospace" size="sm" style={{ whiteSpace: 'nowrap' }}>
          {f.mode} /{' '}
          <Text span c={f.remoteMode !== null && f.remoteMode !== f.mode ? 'red.8' : undefined} inherit>
            {f.remoteMode ?? '—'}
          </Text>
        </Text>
      );
    },
  }),
  col.accessor('expectedSha256', {
    header: 'Expected SHA-256',
    enableSorting: false,
    cell: (i) => <span data-testid="expected-sha256"><Hash value={i.getValue()} /></span>,
  }),
  col.accessor('remoteSha256', {
    header: 'SHA-256 on node',
    enableSorting: false,
    cell: (i) => {
      const f = i.row.original;
      return <span data-testid="remote-sha256"><Hash value={f.remoteSha256} differs={f.remoteSha256 !== null && f.remoteSha256 !== f.expectedSha256} /></span>;
    },
  }),
];

export function NodeFilesTable({ files }: { files: NodeFileStatus[] }) {
  if (files.length === 0) {
    return (
      <Text size="sm" data-testid="node-files-empty">
        Nothing to hold: this node receives no files (a load balancer holds no Kubernetes certificates).
      </Text>
    );
  }
  return (
    <DataTable
      data={files}
      columns={columns}
      testId="node-files-table"
      cardFirst={['file', 'state', 'reason']}
      rowProps={(f) => ({ 'data-testid': `file-row-${f.file}`, 'data-state': f.state })}
    />
  );
}
