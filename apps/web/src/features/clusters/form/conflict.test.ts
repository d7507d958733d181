import { describe, expect, it } from 'vitest';
import type { ClusterInput } from '@kpki/shared';
import { describeChanges, reapply } from './conflict.ts';

const base: ClusterInput = {
  name: 'lab', serviceCidr: '10.32.0.0/24', clusterDomain: 'cluster.local', keyAlgorithm: 'rsa-2048',
  caValidityHours: 43800, certValidityHours: 8760, subject: { C: 'US', ST: 'OR', L: 'Portland', OU: 'k' },
  nodes: [
    { name: 'cp1', role: 'control-plane', addresses: ['10.0.0.1'] },
    { name: 'w1', role: 'worker', addresses: ['10.0.0.2'] },
    { name: 'w2', role: 'worker', addresses: ['10.0.0.3'] },
  ],
  generateConfigFiles: true, expiryWarningDays: 30, expiryCriticalDays: 7,
};

describe('topology conflicts', () => {
  it('describes what changed, field by field and node by node', () => {
    const to: ClusterInput = {
      ...base, certValidityHours: 4000,
      nodes: [base.nodes[0], { ...base.nodes[1], addresses: ['10.0.0.9'] }, { name: 'w3', role: 'worker', addresses: ['10.0.0.4'] }],
    };
    expect(describeChanges(base, to)).toEqual([
      'certValidityHours: 8760 → 4000',
      'node w1: addresses 10.0.0.2 → 10.0.0.9',
      'node w3 added (worker, 10.0.0.4)',
      'node w2 removed',
    ]);
    expect(describeChanges(base, base)).toEqual([]);
  });

  it('reapplies the person\'s edits on the current version: theirs stay where the person changed nothing', () => {
    const theirs: ClusterInput = { ...base, certValidityHours: 4000, nodes: [...base.nodes, { name: 'w3', role: 'worker', addresses: ['10.0.0.4'] }] };
    const mine: ClusterInput = { ...base, clusterDomain: 'lab.local', nodes: [base.nodes[0], { ...base.nodes[1], addresses: ['10.0.0.8'] }] };
    const { merged, overlaps } = reapply(base, mine, theirs);
    expect(merged.certValidityHours).toBe(4000);
    expect(merged.clusterDomain).toBe('lab.local');
    expect(merged.nodes.map((n) => `${n.name}=${n.addresses.join()}`)).toEqual(['cp1=10.0.0.1', 'w1=10.0.0.8', 'w3=10.0.0.4']);
    expect(overlaps).toEqual([]);
  });

  it('names what both changed differently and keeps the person\'s value', () => {
    const theirs: ClusterInput = { ...base, certValidityHours: 4000, nodes: [base.nodes[0], { ...base.nodes[1], addresses: ['10.0.0.7'] }, base.nodes[2]] };
    const mine: ClusterInput = { ...base, certValidityHours: 2000, nodes: [base.nodes[0], { ...base.nodes[1], addresses: ['10.0.0.8'] }, base.nodes[2]] };
    const { merged, overlaps } = reapply(base, mine, theirs);
    expect(merged.certValidityHours).toBe(2000);
    expect(merged.nodes[1].addresses).toEqual(['10.0.0.8']);
    expect(overlaps).toEqual(['certValidityHours', 'node w1']);
  });

  it('reads SSH settings with the cluster\'s SSH defaults: a changed default is a changed target of each node that inherits it', () => {
    const withHosts: ClusterInput = {
      ...base,
      sshDefaults: { user: 'ops' },
      nodes: [{ ...base.nodes[0], ssh: { host: '127.0.0.5' } }, { ...base.nodes[1], ssh: { host: '127.0.0.6', port: 2201 } }, base.nodes[2]],
    };
    const theirs: ClusterInput = { ...withHosts, sshDefaults: { user: 'ops', port: 2200 } };
    expect(describeChanges(withHosts, theirs)).toEqual([
      'sshDefaults: {"user":"ops"} → {"user":"ops","port":2200}',
      "node cp1: SSH target ops@127.0.0.5 → ops@127.0.0.5:2200 (the cluster's SSH defaults)", // w1 sets its own port, w2 has no host
    ]);
    // the person gave cp1 another host while the other writer changed the default port: the target in force is neither's
    const mine: ClusterInput = { ...withHosts, nodes: [{ ...withHosts.nodes[0], ssh: { host: '127.0.0.7' } }, ...withHosts.nodes.slice(1)] };
    const { merged, overlaps } = reapply(withHosts, mine, theirs);
    expect(merged.sshDefaults).toEqual({ user: 'ops', port: 2200 });
    expect(merged.nodes[0].ssh).toEqual({ host: '127.0.0.7' });
    expect(overlaps).toEqual(["node cp1 (SSH settings: the cluster's SSH defaults changed)"]);
    // without the other writer's change to the defaults: no overlap
    expect(reapply(withHosts, mine, withHosts).overlaps).toEqual([]);
  });
});
