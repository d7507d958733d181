/** Use cases on cluster topologies: create, update, and the deploy key (deletion: cluster-retention.service.ts). */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { CLUSTER_READ_ONLY_FIELDS, type Cluster, type ClusterConflict, type ClusterInput, type ClusterListItem, type DeployKey } from '@kpki/shared';
import { checkCluster } from '@kpki/shared/cluster';
import { caKeyTargetChanges } from '@kpki/shared/ca-key-targets';
import { withExpiryDefaults } from '@kpki/shared/expiry';
import { soonestExpiry } from './expiry.service.ts';
import type { Deps } from '../context.ts';
import { AppError, notFound } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { StoredDeployKey } from '../store/deploy-keys.repository.ts';
import { generateDeployKey, parsePrivateKey } from '../ssh/keys.ts';
import { checkChangedSshTargets } from './host-key.service.ts';

export function getCluster(deps: Deps, name: string): ClusterRow {
  const row = deps.clusters.get(name);
  if (!row) throw notFound('CLUSTER_NOT_FOUND', `cluster "${name}"`);
  return row;
}

/** The API's view of a stored cluster: its topology (expiry thresholds with their defaults), times, and whether it has a CA. */
export function clusterView(deps: Deps, row: ClusterRow): Cluster {
  const ca = deps.certificates.getCurrent(row.id, 'ca');
  return { ...withExpiryDefaults(row.input), createdAt: row.createdAt, updatedAt: row.updatedAt, hasCa: !!ca, caNotAfter: ca?.notAfter ?? null };
}

/**
 * The cluster's version, sent as its `ETag`: the SHA-256 of the view a GET answers (topology,
 * SSH settings, times, CA state). Any write that changes what a GET shows changes it; updatedAt
 * alone would not do (milliseconds: two writes in one millisecond, or a clock set back, repeat it).
 */
export function clusterEtag(view: Cluster): string {
  return `"${createHash('sha256').update(JSON.stringify(view)).digest('base64url').slice(0, 27)}"`;
}

/** The entity tags of an If-Match header (`*` matches any; weak tags never match: If-Match compares strongly). */
function ifMatchTags(header: string): string[] {
  return header.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
}

/**
 * A write to a cluster sent with `If-Match` goes ahead only when the cluster is still that
 * version; otherwise 412 PRECONDITION_FAILED with the current version and the cluster as it is
 * now (nothing written: the first write stays). Without If-Match the write goes ahead.
 */
export function requireClusterVersion(deps: Deps, row: ClusterRow, ifMatch: string | string[] | undefined): void {
  if (ifMatch === undefined) return;
  const tags = ifMatchTags(Array.isArray(ifMatch) ? ifMatch.join(',') : ifMatch);
  const current = clusterView(deps, row);
  const etag = clusterEtag(current);
  if (tags.includes('*') || tags.includes(etag)) return;
  const details: ClusterConflict = { etag, current };
  throw new AppError(
    'PRECONDITION_FAILED',
    `cluster "${row.name}" was changed since you read it (you sent If-Match ${tags.join(', ') || '(empty)'}, the current version is ${etag}, updated ${current.updatedAt}): nothing was written; read it again (details.current), reapply your change and send it with If-Match ${etag}`,
    details,
  );
}

/**
 * PUT takes the representation GET gives: the read-only fields may come back as they are (they
 * are dropped) but not changed (400 READ_ONLY_FIELD naming each one).
 */
function withoutReadOnlyFields(current: Cluster, body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const rest: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const changed: Array<{ path: string; code: 'READ_ONLY_FIELD'; message: string }> = [];
  for (const field of CLUSTER_READ_ONLY_FIELDS) {
    if (!(field in rest)) continue;
    const sent = rest[field];
    delete rest[field];
    if (!isDeepStrictEqual(sent, current[field])) {
      changed.push({
        path: `/${field}`,
        code: 'READ_ONLY_FIELD',
        message: `${field} is read-only (kpki sets it): it is ${JSON.stringify(current[field])}, the body says ${JSON.stringify(sent)}; send it unchanged or leave it out${
          field === 'createdAt' ? '' : ' (if you did not change it, the cluster changed since you read it: read it again)'
        }`,
      });
    }
  }
  if (changed.length > 0) {
    throw new AppError('READ_ONLY_FIELD', `read-only field${changed.length > 1 ? 's' : ''} changed: ${changed.map((c) => c.message).join('; ')}`, changed);
  }
  return rest;
}

/** An item of the cluster list: the view and the cluster's soonest expiry. */
export function clusterListItem(deps: Deps, row: ClusterRow): ClusterListItem {
  return { ...clusterView(deps, row), soonestExpiry: soonestExpiry(deps, row) };
}

function validated(body: unknown): ClusterInput {
  const res = checkCluster(body);
  if (!res.ok) {
    throw new AppError('INVALID_TOPOLOGY', `the cluster is not valid: ${res.issues.map((i) => `${i.path || '/'}: ${i.message}`).join('; ')}`, res.issues);
  }
  // the expiry thresholds are stored, defaults included: the settings say what is in force
  return withExpiryDefaults(res.value);
}

/**
 * Called with what a change does to the CA key's way (caKeyTargetChanges) before anything is
 * written; throws to refuse it (the route passes the CA key rule of the request).
 */
export type CaKeyGuard = (changes: string[]) => void;

export function createCluster(deps: Deps, body: unknown, guard: CaKeyGuard): ClusterRow {
  const input = validated(body);
  if (deps.clusters.get(input.name)) {
    throw new AppError('CLUSTER_EXISTS', `a cluster named "${input.name}" exists: choose another name or edit that one`);
  }
  const deleted = deps.clusters.getDeleted(input.name);
  if (deleted) {
    throw new AppError('CLUSTER_EXISTS', `a deleted cluster named "${input.name}" is kept (deleted ${deleted.deletedAt} by ${deleted.deletedBy}) until it is purged: an admin restores or purges it (Deleted clusters), or choose another name`);
  }
  guard(caKeyTargetChanges(null, input));
  checkChangedSshTargets(deps, null, input);
  const now = deps.now().toISOString();
  const created = deps.transaction(() => {
    const row = deps.clusters.create(input, now);
    const key = generateDeployKey(`kpki-${input.name}`);
    storeDeployKey(deps, row.id, key.privateKey, key.publicKey, key.fingerprint, 'generated');
    return row;
  });
  void deps.keys.refresh(created.id); // its keys, ahead of the first issuance
  return created;
}

export function updateCluster(deps: Deps, name: string, body: unknown, guard: CaKeyGuard, ifMatch?: string | string[]): ClusterRow {
  const row = getCluster(deps, name);
  requireClusterVersion(deps, row, ifMatch);
  const input = validated(withoutReadOnlyFields(clusterView(deps, row), body));
  if (input.name !== name) {
    throw new AppError('VALIDATION_FAILED', `a cluster cannot be renamed (from "${name}" to "${input.name}"): create a new one instead`, [
      { path: '/name', code: 'VALIDATION_FAILED', message: `must stay "${name}"` },
    ]);
  }
  guard(caKeyTargetChanges(row.input, input));
  checkChangedSshTargets(deps, row.input, input);
  const updated = deps.clusters.update(row, input, deps.now().toISOString());
  void deps.keys.refresh(updated.id); // keys for what the change will re-issue
  return updated;
}

/** Stores (or replaces) the cluster's deploy key; a replaced key's sealed secret is deleted. */
function storeDeployKey(deps: Deps, clusterId: number, privateKey: string, publicKey: string, fingerprint: string, source: DeployKey['source']) {
  deps.transaction(() => {
    const secretId = deps.secrets.put(privateKey);
    const previous = deps.deployKeys.put(clusterId, { publicKey, fingerprint, source, secretId });
    if (previous) deps.secrets.delete([previous]);
  });
}

export function getDeployKey(deps: Deps, clusterId: number): StoredDeployKey {
  const row = deps.deployKeys.get(clusterId);
  if (!row) throw new AppError('NOT_FOUND', 'this cluster has no deploy key: upload one with PUT .../ssh-key');
  return row;
}

/** Replaces the generated deploy key with an operator's own private key. */
export function uploadDeployKey(deps: Deps, clusterId: number, privateKey: string): DeployKey {
  let parsed: ReturnType<typeof parsePrivateKey>;
  try {
    parsed = parsePrivateKey(privateKey);
  } catch (err) {
    throw new AppError('INVALID_PEM', `the uploaded private key cannot be read (${(err as Error).message}): give an unencrypted OpenSSH or PEM private key`);
  }
  storeDeployKey(deps, clusterId, parsed.privateKey, parsed.publicKey, parsed.fingerprint, 'uploaded');
  const { secretId: _s, ...key } = getDeployKey(deps, clusterId);
  return key;
}
