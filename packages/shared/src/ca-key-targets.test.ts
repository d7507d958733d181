import { describe, expect, test } from 'vitest';
import { caKeyTargetChanges } from './ca-key-targets.ts';
import { hardWayPreset } from './preset.ts';

describe('changes of where the CA key goes', () => {
  const ssh = { host: '127.0.0.5', port: 22, user: 'kube', remoteDir: '/srv/pki' };
  const withSsh = (over: object) => {
    const c = hardWayPreset();
    c.nodes = c.nodes.map((n) => (n.name === 'cp1' ? { ...n, ssh: { ...ssh, ...over } } : n));
    return c;
  };

  test('allowing links in the remote folder of a control-plane node is a change of its target (followLinks)', () => {
    expect(caKeyTargetChanges(withSsh({}), withSsh({ followLinks: true }))).toEqual([expect.stringContaining('SSH target of node "cp1"')]);
    expect(caKeyTargetChanges(withSsh({ followLinks: true }), withSsh({ followLinks: true }))).toEqual([]);
  });
});
