/**
 * Where each certificate file is used, as the tutorial's components are started: the flag (or
 * kubeconfig/config field) and the file it names, and the openssl commands that check a file.
 * For people who live in a terminal. Pure; by certificate kind, never by a node's name.
 */
import type { CertificateKind } from './plan.ts';

export interface ComponentFlag {
  component: string;
  /** "--tls-cert-file=kubernetes.pem" */
  flag: string;
}

/** The flags that name the certificate `name` (a `kind`) or its key, in the tutorial's setup. */
export function componentFlags(kind: CertificateKind, name: string): ComponentFlag[] {
  const cert = `${name}.pem`;
  const key = `${name}-key.pem`;
  const kubeconfigUser = (component: string): ComponentFlag[] => [
    { component: `kubectl config set-credentials (${component}'s kubeconfig)`, flag: `--client-certificate=${cert} --client-key=${key} --embed-certs=true` },
  ];
  switch (kind) {
    case 'ca':
      return [
        { component: 'kube-apiserver', flag: `--client-ca-file=${cert}` },
        { component: 'kube-apiserver', flag: `--etcd-cafile=${cert}` },
        { component: 'kube-apiserver', flag: `--kubelet-certificate-authority=${cert}` },
        { component: 'etcd', flag: `--trusted-ca-file=${cert} --peer-trusted-ca-file=${cert}` },
        { component: 'kube-controller-manager', flag: `--cluster-signing-cert-file=${cert} --cluster-signing-key-file=${key} --root-ca-file=${cert}` },
        { component: 'kubelet (kubelet-config.yaml)', flag: `authentication.x509.clientCAFile: ${cert}` },
        { component: 'kubectl config set-cluster', flag: `--certificate-authority=${cert} --embed-certs=true` },
      ];
    case 'kube-apiserver':
      return [
        { component: 'kube-apiserver', flag: `--tls-cert-file=${cert} --tls-private-key-file=${key}` },
        { component: 'kube-apiserver', flag: `--etcd-certfile=${cert} --etcd-keyfile=${key}` },
        { component: 'kube-apiserver', flag: `--kubelet-client-certificate=${cert} --kubelet-client-key=${key}` },
      ];
    case 'etcd':
      return [
        { component: 'etcd', flag: `--cert-file=${cert} --key-file=${key}` },
        { component: 'etcd', flag: `--peer-cert-file=${cert} --peer-key-file=${key}` },
      ];
    case 'service-account':
      return [
        { component: 'kube-apiserver', flag: `--service-account-key-file=${cert} --service-account-signing-key-file=${key}` },
        { component: 'kube-controller-manager', flag: `--service-account-private-key-file=${key}` },
      ];
    case 'kubelet':
      return [{ component: 'kubelet (kubelet-config.yaml)', flag: `tlsCertFile: ${cert}\ntlsPrivateKeyFile: ${key}` }, ...kubeconfigUser('kubelet')];
    default:
      return kubeconfigUser(kind);
  }
}

/** The openssl commands that check the certificate file `name`.pem against the CA and print it. */
export function opensslCommands(name: string): string[] {
  const cert = `${name}.pem`;
  return [
    name === 'ca' ? `openssl verify -CAfile ca.pem ca.pem` : `openssl verify -CAfile ca.pem ${cert}`,
    `openssl x509 -noout -text -in ${cert}`,
    `openssl x509 -noout -fingerprint -sha256 -in ${cert}`,
  ];
}
