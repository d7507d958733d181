/**
 * A topology proposed from what the certificates say (issue 14, item 1), for a new cluster the
 * operator reviews and corrects before saving: workers from the kubelet certificates (name from
 * the CN, addresses from the IP SANs), control-plane nodes from the etcd certificate (names from
 * its DNS SANs, addresses from its IP SANs), load balancers from the API server certificate's
 * IPs that belong to no other node, the service CIDR and the cluster domain from the API server
 * certificate, subject, key algorithm and validities from the CA and the leaves; SANs the plan
 * of that topology lacks become extra SANs. Which CN belongs to which certificate is read from
 * the catalog (buildCatalog), not written here a second time. Pure; every guess is in `notes`.
 */
import {
  buildCatalog, cidrNetwork, checkCluster, firstUsableAddress, hardWayPreset, isIp, LOCALHOST_IP, normalizeIp,
  type CertificateKind, type ClusterInput, type ClusterNode, type KeyAlgorithm,
} from '@kpki/shared';
import { keyAlgorithmOf } from '../../pki/algorithms.ts';
import { attribute } from '../../pki/inspect.ts';
import type { ImportEntry } from './archive.ts';
import { readFiles, stemOf, type ReadCertificate } from './read.ts';

export interface Proposal {
  /** a topology that passes validateCluster (when the certificates allow one) */
  cluster: ClusterInput;
  /** what was guessed, and what the certificates did not say, in words */
  notes: string[];
}

const HOUR = 3_600_000;
const PROBE_WORKER = 'probe-worker';

/** The CNs the catalog gives each kind, and the kubelet CN's prefix, from the catalog itself. */
function catalogCns(): { cnOf: (kind: CertificateKind) => string; kubeletPrefix: string } {
  const probe: ClusterInput = {
    ...hardWayPreset(),
    nodes: [{ name: 'probe-cp', role: 'control-plane', addresses: [] }, { name: PROBE_WORKER, role: 'worker', addresses: [] }],
  };
  const catalog = buildCatalog(probe);
  const kubelet = catalog.find((c) => c.kind === 'kubelet')!.cn;
  return {
    cnOf: (kind) => catalog.find((c) => c.kind === kind)!.cn,
    kubeletPrefix: kubelet.slice(0, kubelet.length - PROBE_WORKER.length),
  };
}

const ipSans = (c: ReadCertificate) => (c.ext.san?.names ?? []).filter((s) => s.type === 'ip').map((s) => normalizeIp(s.value) ?? s.value);
const dnsSans = (c: ReadCertificate) => (c.ext.san?.names ?? []).filter((s) => s.type === 'dns').map((s) => s.value.toLowerCase());
const hoursOf = (c: ReadCertificate) => Math.round((c.loaded.notAfter.getTime() - c.loaded.notBefore.getTime()) / HOUR);
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The value most certificates share (first seen on a tie). */
function mostCommon<T>(values: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best;
}

/** The certificate of a kind: the one with the catalog's CN, preferring the file named like the catalog entry. */
function certOf(certs: ReadCertificate[], cn: string, stem: string): ReadCertificate | undefined {
  const all = certs.filter((c) => c.cn === cn && !c.isCa);
  return all.find((c) => stemOf(c.path) === stem) ?? all[0];
}

/** The service CIDR from the ClusterIP of the kubernetes service (network + 1): /24 for IPv4, /112 for IPv6. */
function serviceCidrFrom(ip: string): string | null {
  const prefix = ip.includes(':') ? 112 : 24;
  const network = cidrNetwork(`${ip}/${prefix}`);
  if (!network) return null;
  try {
    return firstUsableAddress(network) === ip ? network : null;
  } catch {
    return null;
  }
}

/**
 * A topology from the certificates alone. Nodes: control-plane nodes, then load balancers, then
 * workers. What no certificate says (the cluster's name, the API server port, a load
 * balancer's name) gets a default named in the notes.
 */
export function proposeTopology(entries: ImportEntry[]): Proposal {
  const read = readFiles(entries);
  const certs = read.certificates;
  const notes: string[] = [];
  const { cnOf, kubeletPrefix } = catalogCns();
  const defaults = hardWayPreset();

  const ca = certs.find((c) => c.isCa && stemOf(c.path) === 'ca') ?? certs.find((c) => c.isCa && c.cn === cnOf('ca')) ?? certs.find((c) => c.isCa);
  const leaves = certs.filter((c) => !c.isCa);
  const apiServer = certOf(certs, cnOf('kube-apiserver'), 'kubernetes');
  const etcd = certOf(certs, cnOf('etcd'), 'etcd');

  // workers: one per kubelet certificate
  const workers = new Map<string, string[]>();
  for (const c of leaves.filter((l) => l.cn.startsWith(kubeletPrefix)).sort((a, b) => natural(a.cn, b.cn))) {
    const name = c.cn.slice(kubeletPrefix.length);
    if (!workers.has(name)) workers.set(name, ipSans(c).filter((ip) => ip !== LOCALHOST_IP));
  }
  if (workers.size === 0) notes.push('no kubelet certificate (CN system:node:<name>): the proposal has no worker; add them');

  // control-plane nodes: the etcd certificate's DNS names, paired with its IPs in order
  const controlPlanes: ClusterNode[] = [];
  if (etcd) {
    const names = dnsSans(etcd).filter((n) => n !== 'localhost' && !workers.has(n));
    const ips = ipSans(etcd).filter((ip) => ip !== LOCALHOST_IP);
    if (names.length === ips.length) {
      names.forEach((name, i) => controlPlanes.push({ name, role: 'control-plane', addresses: [ips[i]] }));
    } else {
      names.forEach((name) => controlPlanes.push({ name, role: 'control-plane', addresses: [] }));
      if (ips.length) notes.push(`${etcd.path} names ${names.length} control-plane node(s) but carries ${ips.length} address(es) (${ips.join(', ')}): give each control-plane node its address`);
    }
  } else {
    notes.push('no etcd certificate: the control-plane nodes\' names are unknown; add them');
  }

  // the API server certificate: service IP first, then load balancers, control planes, loopback
  let serviceCidr = defaults.serviceCidr;
  let clusterDomain = defaults.clusterDomain;
  const loadBalancerIps: string[] = [];
  if (apiServer) {
    const ips = ipSans(apiServer);
    const serviceIp = ips.find((ip) => serviceCidrFrom(ip) !== null);
    if (serviceIp) {
      serviceCidr = serviceCidrFrom(serviceIp)!;
      notes.push(`service CIDR ${serviceCidr} from ${serviceIp} in ${apiServer.path} (the kubernetes service's ClusterIP, the first address of the range): the prefix is a guess, check it`);
    } else {
      notes.push(`${apiServer.path} carries no address that is the first of a range (the kubernetes service's ClusterIP): service CIDR ${serviceCidr} is a default, check it`);
    }
    const known = new Set([...controlPlanes.flatMap((n) => n.addresses), ...[...workers.values()].flat(), LOCALHOST_IP, serviceIp]);
    loadBalancerIps.push(...ips.filter((ip) => !known.has(ip)));
    const prefix = 'kubernetes.default.svc.';
    const domains = dnsSans(apiServer).filter((n) => n.startsWith(prefix) && n !== `${prefix}cluster`).map((n) => n.slice(prefix.length));
    if (domains.length) clusterDomain = domains.sort((a, b) => b.length - a.length)[0];
    else notes.push(`${apiServer.path} names no kubernetes.default.svc.<domain>: cluster domain ${clusterDomain} is a default`);
    if (controlPlanes.length === 0) {
      notes.push(`${apiServer.path} carries ${loadBalancerIps.join(', ') || 'no other address'} besides the service IP and loopback: control-plane node(s) or load balancer(s), say which`);
    }
  } else {
    notes.push(`no API server certificate (CN ${cnOf('kube-apiserver')}): service CIDR ${serviceCidr} and cluster domain ${clusterDomain} are defaults; no load balancer proposed`);
  }
  const loadBalancers: ClusterNode[] = controlPlanes.length === 0 ? [] : loadBalancerIps.map((ip, i) => ({
    name: loadBalancerIps.length === 1 ? 'lb' : `lb${i + 1}`, role: 'load-balancer' as const, addresses: [ip],
  }));
  if (loadBalancers.length) {
    notes.push(`${loadBalancers.map((n) => `${n.name} (${n.addresses[0]})`).join(', ')}: address(es) of ${apiServer!.path} that belong to no other node, taken for load balancer(s); no certificate names a load balancer, so rename it if you like, or make it an extra SAN`);
  }
  if (controlPlanes.length === 0) {
    controlPlanes.push({ name: 'control-plane-1', role: 'control-plane', addresses: [] });
    notes.push('control-plane-1: a placeholder, since no certificate names a control-plane node; rename it and give its address');
  }

  // subject, algorithm, validities
  const subject = { ...defaults.subject };
  let keyAlgorithm: KeyAlgorithm = defaults.keyAlgorithm;
  let caValidityHours = defaults.caValidityHours;
  if (ca) {
    subject.C = attribute(ca.loaded.subject, 'C');
    subject.ST = attribute(ca.loaded.subject, 'ST');
    subject.L = attribute(ca.loaded.subject, 'L');
    caValidityHours = hoursOf(ca);
    try {
      keyAlgorithm = keyAlgorithmOf(ca.loaded.node.publicKey);
    } catch (e) {
      notes.push(`the CA's key: ${(e as Error).message}; key algorithm ${keyAlgorithm} proposed`);
    }
  } else {
    notes.push(`no CA certificate: subject, key algorithm and CA validity are defaults (${defaults.subject.C}, ${keyAlgorithm}, ${caValidityHours}h)`);
  }
  subject.OU = mostCommon(leaves.map((c) => attribute(c.loaded.subject, 'OU'))) ?? subject.OU;
  const certValidityHours = Math.min(mostCommon(leaves.map(hoursOf)) ?? defaults.certValidityHours, caValidityHours);

  const kubeconfigNames = read.kubeconfigs.map((k) => k.server).filter(Boolean);
  const port = Number(/:(\d+)\/?$/.exec(kubeconfigNames[0] ?? '')?.[1] ?? defaults.apiServerPort);
  const cluster: ClusterInput = {
    name: 'imported',
    serviceCidr, clusterDomain, keyAlgorithm, caValidityHours, certValidityHours, subject,
    nodes: [...controlPlanes, ...loadBalancers, ...[...workers].map(([name, addresses]) => ({ name, role: 'worker' as const, addresses }))],
    apiServerPort: port,
    generateConfigFiles: true,
  };
  notes.push(`cluster name "${cluster.name}" and API server port ${port}${kubeconfigNames.length ? ' (from a kubeconfig\'s server)' : ' (a default)'}: no certificate says them, change them as you need`);

  // SANs the proposed plan lacks: extra SANs, so that the plan matches what the certificates carry
  const extraSans: Record<string, string[]> = {};
  try {
    const catalog = buildCatalog(cluster);
    for (const planned of catalog.filter((p) => !p.isCa)) {
      const cert = certOf(certs, planned.cn, planned.name);
      if (!cert) continue;
      const want = new Set(planned.sans.map((s) => `${s.type}:${s.value}`));
      const extra = (cert.ext.san?.names ?? []).filter((s) => !want.has(`${s.type}:${s.type === 'ip' ? (normalizeIp(s.value) ?? s.value) : s.value.toLowerCase()}`))
        .map((s) => s.value).filter((v) => !isIp(v) || !loadBalancerIps.includes(normalizeIp(v) ?? v));
      if (extra.length) extraSans[planned.name] = extra;
    }
  } catch {
    // a service CIDR without a usable address cannot occur here (checked above); no extra SANs
  }
  if (Object.keys(extraSans).length) {
    cluster.extraSans = extraSans;
    notes.push(`extra SANs kept from the certificates: ${Object.entries(extraSans).map(([n, v]) => `${n}: ${v.join(', ')}`).join('; ')}`);
  }
  const check = checkCluster(cluster);
  if (!check.ok) notes.push(...check.issues.map((i) => `to fix before saving: ${i.message} (${i.path})`));
  return { cluster, notes };
}
