/**
 * A node's state, judged at read time: the remote hashes of its last look (stored by
 * node-look.ts) against the files it must hold now (the current certificates, and the kubeconfigs
 * rendered from them). Whatever changes what a node should hold (an issuance, a re-issue, a
 * renewal, a topology change) shows in the next read without contacting the node and without
 * anyone having to call anything.
 */
import type { ClusterInput, ClusterNode, NodeFileStatus, NodeState, NodeStatus, NodeSummary, Plan, PlannedFile } from '@kpki/shared';
import { effectiveSsh } from '@kpki/shared/ssh-defaults';
import { certFile, keyFile, underCaKeyRule } from '@kpki/shared/distribution';
import { judgeFile, modeString, nodeStateOf, type IdentifyContent, type RemoteContent } from '@kpki/shared/drift';
import type { Deps } from '../context.ts';
import { planOf } from './plans.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow, NodeLook, NodeObservation } from '../store/clusters.repository.ts';
import { BULK_NODES, fileVersionReader, generatedVersionOf, plannedFileVersion, type FileVersion } from './config-files.service.ts';
import { trustVersions } from './ca-trust.ts';

export { modeString };

export interface ExpectedFile {
  file: string;
  /** certificate, key, kubeconfig or encryption config (PlannedFile.part) */
  part: PlannedFile['part'];
  mode: number;
  /** null when what it holds has not been issued yet, or when the content was not asked for */
  content: string | null;
  /** '' when not issued yet */
  sha256: string;
  /**
   * under the CA key's rule (ca-key.pem, admin.kubeconfig: underCaKeyRule): written only by a
   * distribution an elevated admin started
   */
  caKey: boolean;
}

export function findNode(row: ClusterRow, name: string): ClusterNode {
  const node = row.input.nodes.find((n) => n.name === name);
  if (!node) throw new AppError('NODE_NOT_FOUND', `node "${name}" is not in cluster "${row.name}"`);
  return node;
}

/** The files a node must hold, with the content of the current issuance (kubeconfigs rendered from it). */
export function expectedFiles(
  deps: Deps, row: ClusterRow, node: string, withContent: boolean, plan: Plan = planOf(row.input),
  versionOf: (f: PlannedFile) => FileVersion | null = (f) => plannedFileVersion(deps, row, plan, f, withContent),
): ExpectedFile[] {
  const files: PlannedFile[] = plan.files[node] ?? [];
  return files.map((f) => {
    const version = versionOf(f);
    return { file: f.file, part: f.part, mode: parseInt(f.mode, 8), content: version?.content ?? null, sha256: version?.sha256 ?? '', caKey: underCaKeyRule(f) };
  });
}

/** Names of files kpki writes (certificates, keys, kubeconfigs, the encryption config): other such files in a node's folder are hashed and listed. */
export const KPKI_LIKE = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\.(?:pem|kubeconfig)|encryption-config\.yaml)$/;

/**
 * Where a node is looked at: user, host, port, configured folder and pinned host key (its
 * effective settings: the cluster's SSH defaults for what it does not set); null when it cannot
 * be (no host or no pinned key). A look made at another target (the settings changed since)
 * says nothing about this one.
 */
export function targetOf(cluster: Pick<ClusterInput, 'sshDefaults'>, node: ClusterNode): string | null {
  const s = effectiveSsh(cluster, node);
  if (!s?.host || !s.hostKey) return null;
  return JSON.stringify([s.user ?? 'root', s.host, s.port ?? 22, s.remoteDir ?? '', s.hostKey]);
}

/** Why a node cannot be looked at, as the SSH transport would say it. */
function notConfigured(node: ClusterNode): { code: string; message: string } {
  return node.ssh?.host
    ? { code: 'SSH_HOST_KEY_NOT_PINNED', message: `node "${node.name}" has no pinned host key: scan it and pin the fingerprint first` }
    : { code: 'SSH_NOT_CONFIGURED', message: `node "${node.name}" has no SSH host: set it in the node's SSH settings` };
}

/**
 * Every content hash kpki issued or generated for the cluster, as the file name it has on a
 * node: the one place that says what a remote content is. Certificates and keys by their
 * issued versions, kubeconfigs and the encryption config by their recorded versions
 * (generatedVersionOf). Memoised for one read.
 */
export function identifyContent(deps: Deps, clusterId: number): IdentifyContent {
  const memo = new Map<string, ReturnType<IdentifyContent>>();
  // CA rotations (issue 13): the trust bundles ca.pem held, and during a rotation a single CA in ca.pem is not the current trust file
  const trust = trustVersions(deps, clusterId);
  return (sha256) => {
    if (!memo.has(sha256)) {
      const v = deps.certificates.versionOf(clusterId, sha256);
      const singleCa = v && v.name === 'ca' && v.part === 'cert' && trust.active;
      memo.set(sha256, trust.bundles.get(sha256) ?? (v
        ? {
          file: (v.part === 'cert' ? certFile(v.name) : keyFile(v.name)).file, serial: v.serial,
          current: singleCa ? false : v.current, supersededAt: singleCa ? (v.supersededAt ?? trust.active!.startedAt) : v.supersededAt,
        }
        : generatedVersionOf(deps, clusterId, sha256)));
    }
    return memo.get(sha256)!;
  };
}

/** What the look knows of a file: its hash, null when absent (hashed, or not in the listing), undefined when unknown. */
function remoteOf(look: NodeLook | null, file: string): RemoteContent | null | undefined {
  if (!look) return undefined;
  if (file in look.files) return look.files[file];
  return look.listing && !look.listing.includes(file) ? null : undefined;
}

/**
 * A reader of node states for one cluster: the plan, the content lookup and the clock are
 * taken once, so reading every node of a large cluster costs one pass. `bulk` (more than
 * BULK_NODES nodes): every node's last look and every current certificate and generated file
 * are read in one query each when first needed, and kept for this reader only (the next read
 * sees what changed). Never contacts a node.
 */
export function statusReader(
  deps: Deps, row: ClusterRow, plan: Plan = planOf(row.input), bulk = row.input.nodes.length > BULK_NODES,
): (nodeName: string) => NodeStatus {
  const identify = identifyContent(deps, row.id);
  // each file's version once for every node of this read (ca.pem, kube-proxy.kubeconfig, ... on a thousand workers)
  const versionOf = fileVersionReader(deps, row, plan, bulk);
  const now = deps.now().getTime();
  const dueAfterMs = deps.config.verifyAfterMinutes * 60_000;
  const nodes = new Map(row.input.nodes.map((n) => [n.name, n]));
  // a read of many nodes takes every node's last look in one query, when it first needs one (the same moment as the certificates)
  let observations: Map<string, NodeObservation> | null = null;
  const observationOf = (nodeName: string): NodeObservation | null => {
    if (!bulk) return deps.clusters.getObservation(row.id, nodeName);
    observations ??= deps.clusters.observations(row.id);
    return observations.get(nodeName) ?? null;
  };
  return (nodeName) => {
    const node = nodes.get(nodeName) ?? findNode(row, nodeName);
    const expected = expectedFiles(deps, row, nodeName, false, plan, versionOf);
    const base = { node: node.name, remoteDir: null, otherFiles: [] as string[], error: null };
    if (expected.length === 0) return { ...base, state: 'nothing-to-hold', checkedAt: null, filesCheckedAt: null, checkDue: false, files: [] };

    const target = targetOf(row.input, node);
    const observation = observationOf(nodeName);
    const look = observation?.seen && observation.seen.target === target ? observation.seen : null;
    const failure = observation?.failure && observation.failure.target === target ? observation.failure : null;
    const files: NodeFileStatus[] = expected.map((e) => {
      const remote = remoteOf(look, e.file);
      const { state, reason } = judgeFile(e, remote, identify);
      return {
        file: e.file, mode: modeString(e.mode), remoteMode: remote ? modeString(remote.mode) : null,
        expectedSha256: e.sha256, remoteSha256: remote?.sha256 ?? null, state, reason,
      };
    });
    const names = new Set(expected.map((e) => e.file));
    const otherFiles = (look?.listing ?? []).filter((n) => KPKI_LIKE.test(n) && !names.has(n));

    let state: NodeState;
    let error: NodeStatus['error'] = null;
    if (!target) {
      state = 'not-configured';
      error = notConfigured(node);
    } else if (failure) {
      // a failure is stored after the look it keeps (a successful look clears it): it is the newer
      state = ['SSH_NOT_CONFIGURED', 'SSH_HOST_KEY_NOT_PINNED', 'SSH_TARGET_NOT_ALLOWED'].includes(failure.code) ? 'not-configured' : 'unreachable';
      error = { code: failure.code, message: failure.message, ...(failure.detail ? { detail: failure.detail } : {}) };
    } else {
      state = look ? nodeStateOf(files.map((f) => f.state)) : 'not-checked';
    }
    const checkedAt = failure?.at ?? look?.at ?? null;
    const checkDue = !!target && (!checkedAt || now - new Date(checkedAt).getTime() > dueAfterMs);
    // the note that ca-key.pem / admin.kubeconfig were left out (the CA key rule) holds while one of them is not in sync
    const underRule = new Set(expected.filter((e) => e.caKey).map((e) => e.file));
    const leftOut = files.filter((f) => underRule.has(f.file) && f.state !== 'in-sync').map((f) => f.file);
    const note = look && observation?.caKeyWithheld && leftOut.length ? { ...observation.caKeyWithheld, files: leftOut } : null;
    return {
      ...base, state, checkedAt, filesCheckedAt: look?.at ?? null, checkDue, remoteDir: look?.remoteDir ?? null, files, otherFiles, error,
      ...(note ? { caKeyWithheld: note } : {}),
    };
  };
}

/** The state of a node of the cluster now, null when the topology has no such node (links of an applied topology ask). */
export function knownNodeStatus(deps: Deps, row: ClusterRow, nodeName: string): NodeStatus | null {
  return row.input.nodes.some((n) => n.name === nodeName) ? nodeStatus(deps, row, nodeName) : null;
}

/** One node's state now, reading only that node's look and files (see statusReader for many). */
export function nodeStatus(deps: Deps, row: ClusterRow, nodeName: string, plan?: Plan): NodeStatus {
  return statusReader(deps, row, plan, false)(nodeName);
}

/** Rows of GET /clusters/{cluster}/nodes: every node (or the one named) with its expected file count and state. */
export function nodeSummaries(deps: Deps, row: ClusterRow, only?: string): NodeSummary[] {
  const plan = planOf(row.input);
  const status = statusReader(deps, row, plan);
  return row.input.nodes
    .filter((n) => only === undefined || n.name === only)
    .map((n) => ({ ...n, effectiveSsh: effectiveSsh(row.input, n) ?? null, expectedFiles: plan.files[n.name]?.length ?? 0, status: status(n.name) }));
}
