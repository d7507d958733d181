import { describe, expect, it } from 'vitest';
import { componentFlags, opensslCommands } from './component-flags.ts';

describe('component flags and openssl commands of a certificate', () => {
  it('the API server certificate: --tls-cert-file and its key, etcd and kubelet client flags', () => {
    const flags = componentFlags('kube-apiserver', 'kubernetes').map((f) => f.flag);
    expect(flags).toContain('--tls-cert-file=kubernetes.pem --tls-private-key-file=kubernetes-key.pem');
    expect(flags.some((f) => f.startsWith('--etcd-certfile=kubernetes.pem'))).toBe(true);
  });
  it('the CA: --client-ca-file, and the controller-manager signs with its key', () => {
    const flags = componentFlags('ca', 'ca');
    expect(flags.map((f) => f.flag)).toContain('--client-ca-file=ca.pem');
    expect(flags.find((f) => f.component === 'kube-controller-manager')!.flag).toContain('--cluster-signing-key-file=ca-key.pem');
  });
  it('a kubelet names its own files; client identities go into kubeconfigs', () => {
    expect(componentFlags('kubelet', 'worker1')[0].flag).toBe('tlsCertFile: worker1.pem\ntlsPrivateKeyFile: worker1-key.pem');
    expect(componentFlags('kube-proxy', 'kube-proxy')[0].flag).toBe('--client-certificate=kube-proxy.pem --client-key=kube-proxy-key.pem --embed-certs=true');
  });
  it('openssl verify against ca.pem, and the text', () => {
    expect(opensslCommands('worker1').slice(0, 2)).toEqual(['openssl verify -CAfile ca.pem worker1.pem', 'openssl x509 -noout -text -in worker1.pem']);
  });
});
