/**
 * The text of the generated configuration files, pure: a kubeconfig as `kubectl config
 * set-cluster / set-credentials --embed-certs / set-context default / use-context` writes it
 * (kubectl 1.32: keys in its order, sequences not indented, base64 on one line), and the API
 * server's EncryptionConfiguration with one aescbc key.
 */
import crypto from 'node:crypto';
import { stringify } from 'yaml';

/** What a kubeconfig is rendered from; the PEMs are embedded as base64. */
export interface KubeconfigInput {
  /** name of the cluster entry */
  cluster: string;
  /** name of the context (and current-context) */
  context: string;
  /** https://<address>:<port> */
  server: string;
  /** name of the user entry */
  user: string;
  /** CA certificate(s) the client trusts: a PEM, or a bundle of PEMs */
  caPem: string;
  certPem: string;
  keyPem: string;
}

const YAML_OPTIONS = { indentSeq: false, lineWidth: 0, minContentWidth: 0 } as const;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The kubeconfig file, byte for byte what kubectl 1.32 writes for the same entries. */
export function renderKubeconfig(k: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(k.caPem), server: k.server }, name: k.cluster }],
    contexts: [{ context: { cluster: k.cluster, user: k.user }, name: k.context }],
    'current-context': k.context,
    kind: 'Config',
    preferences: {},
    users: [{ name: k.user, user: { 'client-certificate-data': b64(k.certPem), 'client-key-data': b64(k.keyPem) } }],
  }, YAML_OPTIONS);
}

/** A new aescbc key: 32 random bytes, base64 (what `head -c 32 /dev/urandom | base64` gives). */
export function newEncryptionKey(): string {
  return crypto.randomBytes(32).toString('base64');
}

/**
 * encryption-config.yaml of the tutorial: Secrets encrypted with aescbc key "key1", then the
 * identity provider so that Secrets written before encryption was on can still be read.
 */
export function renderEncryptionConfig(key: string): string {
  return stringify({
    kind: 'EncryptionConfiguration',
    apiVersion: 'apiserver.config.k8s.io/v1',
    resources: [{
      resources: ['secrets'],
      providers: [{ aescbc: { keys: [{ name: 'key1', secret: key }] } }, { identity: {} }],
    }],
  }, YAML_OPTIONS);
}
