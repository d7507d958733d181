/** How a node's and a file's state are shown, and the "N / M files" count. Pure. */
import type { FileState, NodeState, NodeSummary } from '@kpki/shared';

export const STATE_COLORS: Record<NodeState | FileState, string> = {
  'in-sync': 'green',
  missing: 'orange',
  stale: 'yellow',
  modified: 'red',
  unreachable: 'red',
  'not-configured': 'gray',
};

export const STATE_HELP: Record<NodeState | FileState, string> = {
  'in-sync': 'Every expected file is on the node with the expected content.',
  missing: 'At least one expected file is not on the node.',
  stale: 'The node holds files of an older issuance: redistribute.',
  modified: 'A file on the node has content kpki did not write.',
  unreachable: 'kpki could not connect over SSH.',
  'not-configured': 'No SSH host is set for this node.',
};

/** Files on the node that match what is expected, against the expected count. */
export function fileCount(node: Pick<NodeSummary, 'expectedFiles' | 'status'>): { inSync: number; expected: number } {
  const inSync = node.status?.files?.filter((f) => f.state === 'in-sync').length ?? 0;
  return { inSync, expected: node.expectedFiles };
}

export const fileCountLabel = (node: Pick<NodeSummary, 'expectedFiles' | 'status'>) => {
  const { inSync, expected } = fileCount(node);
  return `${inSync} / ${expected} files`;
};
