/**
 * Read-only layouts (issue 14, item 5): a kubeadm /etc/kubernetes/pki folder and kubeconfigs with
 * embedded certificates are inventoried and checked (identity, chain, key match, expiry), never
 * adopted. kubeadm's layout is described here as data (its file names, which CA signs which);
 * nothing of a topology is.
 */
import path from 'node:path/posix';
import type { ImportedFile, ImportedKeyPair, ImportedKubeconfig, ImportProblem } from '@kpki/shared';
import { chainCheck, dateProblem, keyCheck } from './checks.ts';
import { keyPathFor, type ReadCertificate, type ReadFiles, type ReadKubeconfig } from './read.ts';

/** kubeadm's certificates: name (path without .crt under the pki folder), the CA that signs it, and what it is for. */
export const KUBEADM_CERTIFICATES: ReadonlyArray<{ name: string; ca: string; role: string }> = [
  { name: 'ca', ca: 'ca', role: 'cluster CA: signs the API server, kubelet and client certificates' },
  { name: 'apiserver', ca: 'ca', role: 'kube-apiserver serving certificate' },
  { name: 'apiserver-kubelet-client', ca: 'ca', role: "kube-apiserver's client certificate to the kubelets" },
  { name: 'apiserver-etcd-client', ca: 'etcd/ca', role: "kube-apiserver's client certificate to etcd" },
  { name: 'front-proxy-ca', ca: 'front-proxy-ca', role: 'front proxy CA: signs the aggregation layer client' },
  { name: 'front-proxy-client', ca: 'front-proxy-ca', role: "kube-apiserver's client certificate to extension API servers" },
  { name: 'etcd/ca', ca: 'etcd/ca', role: 'etcd CA: signs the etcd server, peer and client certificates' },
  { name: 'etcd/server', ca: 'etcd/ca', role: 'etcd serving certificate' },
  { name: 'etcd/peer', ca: 'etcd/ca', role: 'etcd peer certificate (member to member)' },
  { name: 'etcd/healthcheck-client', ca: 'etcd/ca', role: "etcd's liveness probe client certificate" },
];

/** The folder prefix of a kubeadm pki folder in the import ("" or "pki/"), null when the files are not one. */
export function kubeadmRoot(read: ReadFiles): string | null {
  const paths = new Set([...read.certificates.map((c) => c.path), ...read.keys.keys(), ...read.publicKeys.keys()]);
  for (const p of paths) {
    if (path.basename(p) !== 'ca.crt') continue;
    const dir = path.dirname(p) === '.' ? '' : `${path.dirname(p)}/`;
    if (dir.endsWith('etcd/')) continue;
    if (['apiserver.crt', 'sa.key', 'etcd/ca.crt', 'front-proxy-ca.crt'].some((f) => paths.has(dir + f))) return dir;
  }
  return null;
}

const readOnlyFile = (cert: ReadCertificate, name: string, role: string, keyPath: string | null,
  keyMatches: boolean | null, chain: { ok: boolean; message: string }, problems: ImportProblem[]): ImportedFile => ({
  path: cert.path, keyPath, name, role, cn: cert.cn, o: cert.o, issuer: cert.issuer, serial: cert.loaded.serial,
  sans: cert.ext.san?.names.map((s) => ({ type: s.type, value: s.value })) ?? [], usages: cert.usages, isCa: cert.isCa,
  notBefore: cert.loaded.notBefore.toISOString(), notAfter: cert.loaded.notAfter.toISOString(), sha256: cert.loaded.node.fingerprint256,
  keyMatches, chain, adoptable: false, problems,
});

/** The CA among `cas` that signed `cert`, checked; the first failure when none did. */
function chainAmong(cert: ReadCertificate, cas: ReadCertificate[]): { ok: boolean; message: string } {
  let first: { ok: boolean; message: string } | null = null;
  for (const ca of cas) {
    const result = chainCheck(cert, ca);
    if (result.ok) return result;
    first ??= result;
  }
  return first ?? { ok: false, message: 'no CA certificate in the import to verify it against' };
}

/** Every certificate of a kubeadm pki folder, each against the CA kubeadm signs it with; sa.key/sa.pub as a key pair. */
export function inventoryKubeadm(read: ReadFiles, root: string, now: Date): { files: ImportedFile[]; keyPairs: ImportedKeyPair[]; unrecognised: Array<{ path: string; reason: string }> } {
  const byPath = new Map(read.certificates.map((c) => [c.path, c]));
  const cas = read.certificates.filter((c) => c.isCa);
  const files: ImportedFile[] = [];
  const used = new Set<string>();
  const one = (cert: ReadCertificate, name: string, role: string, expectedCa: ReadCertificate | null, expectedCaName: string | null) => {
    used.add(cert.path);
    const keyPath = keyPathFor(cert.path, read.keys);
    if (keyPath) used.add(keyPath);
    const problems: ImportProblem[] = [];
    const key = keyCheck(cert, keyPath, keyPath ? read.keys.get(keyPath) : undefined, read.certificates);
    if (key.problem) problems.push(key.problem);
    if (!keyPath) problems.push({ code: 'KEY_MISSING', message: `no key file for ${cert.path}` });
    let chain: { ok: boolean; message: string };
    if (expectedCaName !== null) {
      chain = expectedCa ? chainCheck(cert, expectedCa) : { ok: false, message: `kubeadm signs it with ${expectedCaName}.crt, which is not in the import` };
    } else {
      chain = chainAmong(cert, cas);
    }
    if (!chain.ok && (expectedCa || expectedCaName === null)) problems.push({ code: 'CHAIN', message: chain.message });
    const dates = dateProblem(cert, now);
    if (dates) problems.push(dates);
    files.push(readOnlyFile(cert, name, role, keyPath, key.keyMatches, chain, problems));
  };
  for (const spec of KUBEADM_CERTIFICATES) {
    const cert = byPath.get(`${root}${spec.name}.crt`);
    if (!cert) continue;
    one(cert, spec.name, spec.role, byPath.get(`${root}${spec.ca}.crt`) ?? null, spec.ca);
  }
  for (const cert of read.certificates) {
    if (used.has(cert.path)) continue;
    one(cert, cert.path.startsWith(root) ? cert.path.slice(root.length).replace(/\.(crt|pem)$/, '') : cert.path, 'a certificate outside kubeadm\'s standard set', null, null);
  }
  const keyPairs: ImportedKeyPair[] = [];
  const saKey = `${root}sa.key`;
  const saPub = `${root}sa.pub`;
  if (read.keys.has(saKey) || read.publicKeys.has(saPub)) {
    used.add(saKey).add(saPub);
    const key = read.keys.get(saKey);
    const pub = read.publicKeys.get(saPub);
    const problems: ImportProblem[] = [];
    let keyMatches: boolean | null = null;
    if (!key) problems.push({ code: 'KEY_MISSING', message: `${saKey} is not in the import` });
    else if (key.spki === null) problems.push({ code: 'KEY_UNREADABLE', message: `${saKey} cannot be read: ${key.error}` });
    if (!pub) problems.push({ code: 'KEY_MISSING', message: `${saPub} is not in the import` });
    if (key?.spki && pub) {
      keyMatches = key.spki.equals(pub);
      if (!keyMatches) problems.push({ code: 'KEY_MISMATCH', message: `${saPub} is not the public half of ${saKey}: tokens signed by the controller-manager would not verify` });
    }
    keyPairs.push({ name: 'sa', path: key ? saKey : '', publicPath: pub ? saPub : null, keyMatches, problems });
  }
  const unrecognised = [...read.keys.keys(), ...read.publicKeys.keys()].filter((p) => !used.has(p))
    .map((p) => ({ path: p, reason: 'a key whose certificate is not in the import' }));
  return { files, keyPairs, unrecognised };
}

/**
 * A kubeconfig's embedded identity: the client certificate's CN and O, its key, its chain against
 * the embedded certificate-authority-data (and, when `clusterCa` is given, whether that is the
 * imported CA), and its dates.
 */
export function inventoryKubeconfig(k: ReadKubeconfig, now: Date, clusterCa: ReadCertificate | null = null): ImportedKubeconfig {
  const problems: ImportProblem[] = k.errors.map((message) => ({ code: 'KUBECONFIG', message: `${k.path}: ${message}` }));
  const cert = k.clientCert;
  let keyMatches: boolean | null = null;
  let chain = { ok: false, message: 'it embeds no client certificate' };
  if (cert) {
    if (k.clientKey === null) {
      problems.push({ code: 'KEY_MISSING', message: `${k.path} embeds no client-key-data` });
    } else if (k.clientKey.spki === null) {
      problems.push({ code: 'KEY_UNREADABLE', message: `${k.path}: its client-key-data cannot be read: ${k.clientKey.error}` });
    } else {
      keyMatches = k.clientKey.spki.equals(cert.spki);
      if (!keyMatches) problems.push({ code: 'KEY_MISMATCH', message: `${k.path}: its client-key-data is not the key of its client-certificate-data` });
    }
    if (k.ca) {
      chain = chainCheck(cert, k.ca, 'the embedded certificate-authority-data');
      if (!chain.ok) problems.push({ code: 'CHAIN', message: `${k.path}: client certificate ${chain.message}` });
    } else {
      chain = { ok: false, message: 'it embeds no certificate-authority-data' };
      problems.push({ code: 'CHAIN', message: `${k.path} embeds no certificate-authority-data: the client cannot verify the API server` });
    }
    const dates = dateProblem(cert, now);
    if (dates) problems.push({ code: dates.code, message: dates.message.replace(cert.path, `${k.path}'s client certificate`) });
  } else if (k.errors.length === 0) {
    problems.push({ code: 'KUBECONFIG', message: `${k.path} embeds no client certificate (token or exec credentials): nothing to check` });
  }
  if (clusterCa && k.ca && !k.ca.spki.equals(clusterCa.spki)) {
    problems.push({ code: 'CHAIN', message: `${k.path} embeds a CA other than ${clusterCa.path} (CN ${k.ca.cn}): its clients would not trust the API server` });
  }
  return {
    path: k.path, server: k.server, cn: cert?.cn ?? '', o: cert?.o ?? '',
    notAfter: cert ? cert.loaded.notAfter.toISOString() : null, sha256: cert ? cert.loaded.node.fingerprint256 : null,
    keyMatches, chain, problems,
  };
}
