import { describe, expect, it } from 'vitest';
import { briefStatus, type NodeFileStatus, type NodeStatus } from '@kpki/shared';
import { fileCount, fileCountLabel, withheldFiles } from './node-state.ts';

const file = (name: string, state: NodeFileStatus['state']): NodeFileStatus => ({
  file: name,
  mode: '0644',
  remoteMode: '0644',
  expectedSha256: 'a',
  remoteSha256: state === 'missing' ? null : 'a',
  state,
  reason: state === 'in-sync' ? null : { message: state },
});
const full = (files: NodeFileStatus[]): NodeStatus => ({
  node: 'n', state: 'foreign', checkedAt: null, filesCheckedAt: null, checkDue: false, remoteDir: null, files, otherFiles: [], error: null,
});
// as the node list has it (GET .../nodes?view=brief)
const status = (files: NodeFileStatus[]) => briefStatus(full(files));

describe('fileCount', () => {
  it('counts only in-sync files against the expected count', () => {
    const node = { expectedFiles: 5, status: status([file('ca.pem', 'in-sync'), file('w.pem', 'foreign'), file('w-key.pem', 'missing'), file('p.pem', 'in-sync')]) };
    expect(fileCount(node)).toEqual({ inSync: 2, expected: 5 });
    expect(fileCountLabel(node)).toBe('2 / 5 files');
  });
  it('is 0 / 0 for a load balancer', () => {
    expect(fileCountLabel({ expectedFiles: 0, status: status([]) })).toBe('0 / 0 files');
  });
});

describe('withheldFiles', () => {
  it('names the files under the CA key rule the node lacks, ca-key.pem when the server names none', () => {
    expect(withheldFiles({ reason: 'r', at: 'a', files: ['ca-key.pem', 'admin.kubeconfig'] })).toBe('ca-key.pem and admin.kubeconfig');
    expect(withheldFiles({ reason: 'r', at: 'a', files: ['admin.kubeconfig'] })).toBe('admin.kubeconfig');
    expect(withheldFiles({ reason: 'r', at: 'a' })).toBe('ca-key.pem');
  });
});
