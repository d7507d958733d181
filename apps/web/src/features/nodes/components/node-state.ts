/** How a node's and a file's state are shown, and the "N / M files" count. Pure. */
import type { FileState, NodeRow, NodeState, NodeStatus } from '@kpki/shared';

export const STATE_COLORS: Record<NodeState | FileState, string> = {
  'in-sync': 'green',
  missing: 'orange',
  stale: 'yellow',
  foreign: 'red',
  mode: 'red',
  unreachable: 'red',
  'not-configured': 'gray',
  'not-checked': 'gray',
  'nothing-to-hold': 'gray',
  unknown: 'gray',
};

export const STATE_HELP: Record<NodeState | FileState, string> = {
  'in-sync': 'Every expected file is on the node with the expected content and mode.',
  missing: 'At least one expected file is not on the node.',
  stale: 'The node holds an earlier version of a file: redistribute.',
  foreign: 'A file on the node holds another file or content kpki never issued.',
  mode: 'A file has the right content but the wrong mode (for a key: a security problem).',
  unreachable: 'The last look failed: kpki could not connect over SSH or read the folder.',
  'not-configured': 'No SSH host or no pinned host key is set for this node.',
  'not-checked': 'Not looked at since it must hold these files (or since its SSH target changed): verify it.',
  'nothing-to-hold': 'This node must hold no file (a load balancer holds no Kubernetes certificate).',
  unknown: 'Not looked at yet: verify the node.',
};

/** The states worst first, as lists and counts read them. */
export const NODE_STATE_ORDER: readonly NodeState[] = ['foreign', 'mode', 'unreachable', 'stale', 'missing', 'not-configured', 'not-checked', 'in-sync', 'nothing-to-hold'];

/** Files on the node that match what is expected, against the expected count. */
export function fileCount(node: Pick<NodeRow, 'expectedFiles' | 'status'>): { inSync: number; expected: number } {
  return { inSync: node.status?.filesInSync ?? 0, expected: node.expectedFiles };
}

export const fileCountLabel = (node: Pick<NodeRow, 'expectedFiles' | 'status'>) => {
  const { inSync, expected } = fileCount(node);
  return `${inSync} / ${expected} files`;
};

/** Nodes whose last look is older than the server's setting (or that were never looked at). */
export const nodesDue = (nodes: NodeRow[]) => nodes.filter((n) => n.status.checkDue);

/** "ca-key.pem and admin.kubeconfig": the files the CA key rule left out of a node (ca-key.pem when the server names none). */
export const withheldFiles = (note: NonNullable<NodeStatus['caKeyWithheld']>) => (note.files?.length ? note.files : ['ca-key.pem']).join(' and ');
