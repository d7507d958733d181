import { describe, expect, it } from 'vitest';
import { hardWayPreset } from '@kpki/shared/preset';
import { blankTopology, fromClusterInput, toClusterInput } from './form-model.ts';

describe('the kubeconfig settings in the topology form', () => {
  it('the preset goes through the form unchanged (port, kubeconfig cluster name, generated files)', () => {
    expect(toClusterInput(fromClusterInput(hardWayPreset()))).toEqual(hardWayPreset());
  });

  it('a cluster without the settings gets empty fields and keeps the defaults: no port, no name, generated', () => {
    const { apiServerPort: _p, kubeconfigClusterName: _n, generateConfigFiles: _g, ...bare } = hardWayPreset();
    const values = fromClusterInput(bare);
    expect([values.apiServerPort, values.kubeconfigClusterName, values.generateConfigFiles]).toEqual(['', '', true]);
    expect(toClusterInput(values)).toEqual({ ...bare, generateConfigFiles: true });
  });

  it('turning the files off and choosing a port and a name are sent as given', () => {
    const input = toClusterInput({ ...blankTopology(), name: 'lab', apiServerPort: '8443', kubeconfigClusterName: ' prod ', generateConfigFiles: false });
    expect([input.apiServerPort, input.kubeconfigClusterName, input.generateConfigFiles]).toEqual([8443, 'prod', false]);
  });
});

describe('SSH settings the topology form does not show', () => {
  it('a node\'s pinned host key, followLinks and the cluster SSH defaults survive a save of the form', () => {
    const input = hardWayPreset();
    input.nodes[0].ssh = { host: '127.0.0.2', port: 2222, user: 'kube', remoteDir: '/srv/pki', hostKey: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', followLinks: true };
    input.nodes[1].ssh = { host: '127.0.0.3' };
    input.sshDefaults = { user: 'ops', port: 2200 };
    const saved = toClusterInput(fromClusterInput(input));
    expect(saved.nodes[0].ssh).toEqual(input.nodes[0].ssh);
    expect(saved.nodes[1].ssh).toEqual({ host: '127.0.0.3' });
    expect(saved.sshDefaults).toEqual(input.sshDefaults);
  });
});
