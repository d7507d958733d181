/**
 * Topology validation (docs/domain.md section 1): names, addresses, CIDR, domain, validity, extra
 * SANs, SSH settings and subject. Pure; runs on the server and in the web forms alike.
 */
import { ClusterInput, type SshSettings } from './api/cluster.ts';
import { FIXED_CERTIFICATE_NAMES } from './catalog.ts';
import { WORKSTATION_KUBECONFIG } from './kubeconfigs.ts';
import { expiryThresholds } from './expiry.ts';
import { cidrNetwork, hasUsableAddress, isDnsLabel, isDnsName, isIp, isUnspecifiedIp, normalizeIp, parseCidr } from './net.ts';
import { pointerSegment, schemaIssues } from './schema-issues.ts';
import { REMOTE_FOLDER_HINT, remoteFolderProblem } from './remote-folder.ts';

/** Stable codes of validation issues. VALIDATION_FAILED: the body does not match the schema. */
export type ValidationCode =
  | 'VALIDATION_FAILED' | 'INVALID_CLUSTER_NAME' | 'INVALID_DOMAIN' | 'INVALID_CIDR' | 'NO_USABLE_ADDRESS'
  | 'INVALID_NODE_NAME' | 'RESERVED_NODE_NAME' | 'DUPLICATE_NODE_NAME' | 'INVALID_IP' | 'DUPLICATE_ADDRESS'
  | 'NO_CONTROL_PLANE' | 'VALIDITY_EXCEEDS_CA' | 'UNKNOWN_CERTIFICATE' | 'INVALID_SAN' | 'INVALID_SSH_HOST'
  | 'INVALID_SSH_USER' | 'INVALID_REMOTE_DIR' | 'INVALID_HOST_KEY' | 'INVALID_SUBJECT' | 'INVALID_KUBECONFIG_NAME' | 'FILE_NAME_COLLISION'
  | 'INVALID_EXPIRY_THRESHOLDS';

/** One problem of a cluster body. */
export interface ValidationIssue {
  /** JSON pointer of the offending value, e.g. "/nodes/2/name" ("" for the whole body) */
  path: string;
  /** stable code (ValidationCode) */
  code: string;
  /** what is wrong and how to fix it */
  message: string;
}

const LABEL_RULE = '1-63 lowercase letters, digits or "-", starting and ending with a letter or digit';
const HOST_KEY = /^SHA256:[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/;
const SSH_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** A kubeconfig entry name: letters, digits and . _ : @ -, starting and ending with a letter or digit. */
const KUBECONFIG_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._:@-]*[A-Za-z0-9])?$/;

function lowercaseHint(value: string, valid: (v: string) => boolean): string {
  return value !== value.toLowerCase() && valid(value.toLowerCase()) ? ` (use lowercase: "${value.toLowerCase()}")` : '';
}

function addressProblem(value: string): string | null {
  if (isIp(value)) {
    return isUnspecifiedIp(value) ? `"${value}" is the unspecified address; give the node's real address` : null;
  }
  if (value.includes('/')) return `"${value}" is a CIDR; give a single address without "/prefix"`;
  if (value.startsWith('[')) return `"${value}" has brackets; write the IPv6 address without them`;
  if (value.includes('%')) return `"${value}" has a zone id; give a global or unique-local address`;
  return `"${value}" is not an IPv4 or IPv6 address; use e.g. 192.0.2.10 or 2001:db8::10`;
}

function checkSsh(ssh: SshSettings, base: string, push: (issue: ValidationIssue) => void): void {
  if (ssh.host !== undefined && !isIp(ssh.host) && !isDnsName(ssh.host.toLowerCase())) {
    push({ path: `${base}/host`, code: 'INVALID_SSH_HOST',
      message: `SSH host "${ssh.host}" is neither an IP address nor a DNS name; give e.g. 192.0.2.10 or node1.example.com (IPv6 without brackets)` });
  }
  if (ssh.user !== undefined && !SSH_USER.test(ssh.user)) {
    push({ path: `${base}/user`, code: 'INVALID_SSH_USER',
      message: `SSH user "${ssh.user}" is not a valid login name; use letters, digits, "_", "." or "-", not starting with "-" or "."` });
  }
  const folderProblem = remoteFolderProblem(ssh.remoteDir);
  if (folderProblem) {
    push({ path: `${base}/remoteDir`, code: 'INVALID_REMOTE_DIR',
      message: `remote folder ${JSON.stringify(ssh.remoteDir)} ${folderProblem}; ${REMOTE_FOLDER_HINT}` });
  }
  if (ssh.hostKey !== undefined && !HOST_KEY.test(ssh.hostKey)) {
    push({ path: `${base}/hostKey`, code: 'INVALID_HOST_KEY',
      message: `host key "${ssh.hostKey}" is not an OpenSSH SHA-256 fingerprint; paste "SHA256:" followed by the 43 base64 characters that "ssh-keygen -lf" prints` });
  }
}

function checkSubject(cluster: ClusterInput, push: (issue: ValidationIssue) => void): void {
  const { subject } = cluster;
  if (subject.C !== '' && !/^[A-Z]{2}$/.test(subject.C)) {
    push({ path: '/subject/C', code: 'INVALID_SUBJECT',
      message: `country "${subject.C}" is not an ISO 3166 code; give two uppercase letters (e.g. "US") or leave it empty` });
  }
  for (const key of ['ST', 'L', 'OU'] as const) {
    if (CONTROL_CHARS.test(subject[key])) {
      push({ path: `/subject/${key}`, code: 'INVALID_SUBJECT',
        message: `subject ${key} contains a control character (newline, tab, NUL...); remove it` });
    }
  }
}

function checkExtraSans(cluster: ClusterInput, workers: string[], push: (issue: ValidationIssue) => void): void {
  const known = new Set([...FIXED_CERTIFICATE_NAMES, ...workers]);
  for (const [name, values] of Object.entries(cluster.extraSans ?? {})) {
    const base = `/extraSans/${pointerSegment(name)}`;
    if (!known.has(name)) {
      push({ path: base, code: 'UNKNOWN_CERTIFICATE',
        message: `"${name}" is not a certificate of this cluster; use one of ${[...known].join(', ')}` });
      continue;
    }
    if (name === 'ca') {
      push({ path: base, code: 'INVALID_SAN', message: 'the CA certificate carries no SANs; remove the "ca" entry' });
      continue;
    }
    values.forEach((value, j) => {
      const ok = isIp(value) ? !isUnspecifiedIp(value) : isDnsName(value, { allowWildcard: true });
      if (!ok) {
        const hint = lowercaseHint(value, (v) => isDnsName(v, { allowWildcard: true }));
        push({ path: `${base}/${j}`, code: 'INVALID_SAN',
          message: `extra SAN "${value}" is neither an IP address nor a DNS name${hint}; give e.g. 203.0.113.5, api.example.com or *.apps.example.com` });
      }
    });
  }
}

/**
 * Every rule of docs/domain.md section 1 that the schema cannot express, for a body that already
 * matches the ClusterInput schema. Returns [] when the cluster is valid. Rules: cluster name a
 * DNS label; domain a DNS name; service CIDR strict (no host bits) with a first usable address;
 * node names DNS labels, unique, and no worker named like a fixed certificate ("ca", "admin",
 * ...); addresses IPv4/IPv6, not unspecified, unique across the cluster (canonical form); at
 * least one control-plane node; certificate validity <= CA validity; extraSans keys are
 * certificate names (not "ca") and values IPs or DNS names ("*." allowed); SSH host, user,
 * remote folder and pinned host key well-formed; subject C empty or two uppercase letters; no
 * worker named like the workstation kubeconfig; the kubeconfig cluster name a plain name. The
 * API server port (1-65535) and the generated-files switch are checked by the schema.
 * expiryCriticalDays below expiryWarningDays (defaults 7 and 30 for the ones not given).
 */
export function validateCluster(input: ClusterInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const push = (issue: ValidationIssue) => issues.push(issue);

  if (!isDnsLabel(input.name)) {
    push({ path: '/name', code: 'INVALID_CLUSTER_NAME',
      message: `cluster name "${input.name}" is not a DNS label${lowercaseHint(input.name, isDnsLabel)}; use ${LABEL_RULE}` });
  }
  if (!isDnsName(input.clusterDomain)) {
    push({ path: '/clusterDomain', code: 'INVALID_DOMAIN',
      message: `cluster domain "${input.clusterDomain}" is not a DNS name${lowercaseHint(input.clusterDomain, (v) => isDnsName(v))}; use dot-separated labels without a trailing dot, e.g. "cluster.local"` });
  }
  const cidr = parseCidr(input.serviceCidr);
  if (!cidr.ok) {
    const why = cidr.error === 'host-bits'
      ? `has host bits set; use the network address, e.g. "${cidrNetwork(input.serviceCidr) ?? input.serviceCidr}"`
      : cidr.error === 'prefix' ? 'has a prefix longer than the address; use /0-/32 for IPv4, /0-/128 for IPv6'
        : 'is not a CIDR; write address/prefix, e.g. "10.96.0.0/12" or "fd00:10:96::/108"';
    push({ path: '/serviceCidr', code: 'INVALID_CIDR', message: `service CIDR "${input.serviceCidr}" ${why}` });
  } else if (!hasUsableAddress(cidr.cidr)) {
    push({ path: '/serviceCidr', code: 'NO_USABLE_ADDRESS',
      message: `service CIDR "${input.serviceCidr}" has no usable address for the kubernetes service (network + 1); use a wider range, at most /30 for IPv4 or /127 for IPv6 (e.g. /24 or /108)` });
  }

  const firstByName = new Map<string, number>();
  const ownerOf = new Map<string, string>();
  input.nodes.forEach((node, i) => {
    const base = `/nodes/${i}`;
    if (!isDnsLabel(node.name)) {
      push({ path: `${base}/name`, code: 'INVALID_NODE_NAME',
        message: `node name "${node.name}" is not a DNS label${lowercaseHint(node.name, isDnsLabel)}; use ${LABEL_RULE}` });
    } else if (node.role === 'worker' && FIXED_CERTIFICATE_NAMES.includes(node.name)) {
      push({ path: `${base}/name`, code: 'RESERVED_NODE_NAME',
        message: `worker name "${node.name}" would name its kubelet certificate ${node.name}.pem, which is another certificate's file; rename the worker` });
    } else if (node.role === 'worker' && node.name === WORKSTATION_KUBECONFIG) {
      push({ path: `${base}/name`, code: 'RESERVED_NODE_NAME',
        message: `worker name "${node.name}" would name its kubeconfig like the operator's workstation kubeconfig "${WORKSTATION_KUBECONFIG}"; rename the worker` });
    }
    const first = firstByName.get(node.name);
    if (first !== undefined) {
      push({ path: `${base}/name`, code: 'DUPLICATE_NODE_NAME',
        message: `node name "${node.name}" is already used by node ${first}; give every node its own name` });
    } else {
      firstByName.set(node.name, i);
    }
    node.addresses.forEach((address, j) => {
      const problem = addressProblem(address);
      if (problem) {
        push({ path: `${base}/addresses/${j}`, code: 'INVALID_IP', message: problem });
        return;
      }
      const canonical = normalizeIp(address)!;
      const owner = ownerOf.get(canonical);
      if (owner !== undefined) {
        push({ path: `${base}/addresses/${j}`, code: 'DUPLICATE_ADDRESS',
          message: `address ${canonical} is already given to node "${owner}"; each address belongs to one node, remove the repeat` });
      } else {
        ownerOf.set(canonical, node.name);
      }
    });
    if (node.ssh) checkSsh(node.ssh, `${base}/ssh`, push);
  });
  if (input.sshDefaults) checkSsh(input.sshDefaults, '/sshDefaults', push);
  if (!input.nodes.some((node) => node.role === 'control-plane')) {
    push({ path: '/nodes', code: 'NO_CONTROL_PLANE',
      message: 'the cluster has no control-plane node; give at least one node the role "control-plane"' });
  }
  if (input.certValidityHours > input.caValidityHours) {
    push({ path: '/certValidityHours', code: 'VALIDITY_EXCEEDS_CA',
      message: `certificate validity ${input.certValidityHours}h exceeds the CA validity ${input.caValidityHours}h; lower it to at most ${input.caValidityHours}h or raise the CA validity` });
  }
  checkExtraSans(input, input.nodes.filter((n) => n.role === 'worker').map((n) => n.name), push);
  checkSubject(input, push);
  if (input.kubeconfigClusterName !== undefined && !KUBECONFIG_NAME.test(input.kubeconfigClusterName)) {
    push({ path: '/kubeconfigClusterName', code: 'INVALID_KUBECONFIG_NAME',
      message: `kubeconfig cluster name "${input.kubeconfigClusterName}" is not usable in a kubeconfig; use letters, digits, ".", "_", ":", "@" or "-", starting and ending with a letter or digit, e.g. "kubernetes-the-hard-way"` });
  }
  checkFileNames(input, push);
  const t = expiryThresholds(input);
  if (t.criticalDays >= t.warningDays) {
    const path = input.expiryCriticalDays !== undefined ? '/expiryCriticalDays' : '/expiryWarningDays';
    push({ path, code: 'INVALID_EXPIRY_THRESHOLDS',
      message: `expiryCriticalDays (${t.criticalDays}) must be below expiryWarningDays (${t.warningDays}); lower the critical threshold or raise the warning one (defaults 7 and 30 days)` });
  }
  return issues;
}

/**
 * Every certificate <name> gives the files <name>.pem and <name>-key.pem (on nodes and in bundles),
 * so a worker called "<other>-key" would name its certificate file like the key file of the
 * certificate <other> (a fixed one, e.g. kube-proxy-key, ca-key, or another worker's): two
 * different files with one name. Refused, naming both.
 */
function checkFileNames(input: ClusterInput, push: (issue: ValidationIssue) => void): void {
  const owners = new Map<string, string>(FIXED_CERTIFICATE_NAMES.map((n) => [n, n === 'ca' ? 'the CA' : `certificate "${n}"`]));
  for (const n of input.nodes) if (n.role === 'worker' && !owners.has(n.name)) owners.set(n.name, `worker "${n.name}" (its kubelet certificate)`);
  input.nodes.forEach((node, i) => {
    if (node.role !== 'worker' || !node.name.endsWith('-key')) return;
    const other = node.name.slice(0, -'-key'.length);
    const owner = owners.get(other);
    if (!owner) return;
    push({ path: `/nodes/${i}/name`, code: 'FILE_NAME_COLLISION',
      message: `worker "${node.name}" would name its certificate file ${node.name}.pem, the name of the key file of ${owner} (${other}-key.pem): ` +
        'two different files with one name on a node and in a bundle; rename the worker (e.g. without "-key")' });
  });
}

/**
 * Schema check (ClusterInput, issues with code VALIDATION_FAILED at the instance path), then
 * validateCluster. On success `value` is the input unchanged.
 */
export function checkCluster(input: unknown): { ok: true; value: ClusterInput } | { ok: false; issues: ValidationIssue[] } {
  const schema = schemaIssues(ClusterInput, input);
  if (schema.length > 0) return { ok: false, issues: schema };
  const value = input as ClusterInput;
  const issues = validateCluster(value);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}
