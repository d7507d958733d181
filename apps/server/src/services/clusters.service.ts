/** Use cases on cluster topologies: create, update, and the deploy key (deletion: cluster-retention.service.ts). */
import type { Cluster, ClusterInput, ClusterListItem, DeployKey } from '@kpki/shared';
import { checkCluster } from '@kpki/shared/cluster';
import { caKeyTargetChanges } from '@kpki/shared/ca-key-targets';
import { withExpiryDefaults } from '@kpki/shared/expiry';
import { soonestExpiry } from './expiry.service.ts';
import type { Deps } from '../context.ts';
import { AppError, notFound } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { StoredDeployKey } from '../store/deploy-keys.repository.ts';
import { generateDeployKey, parsePrivateKey } from '../ssh/keys.ts';

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

export function updateCluster(deps: Deps, name: string, body: unknown, guard: CaKeyGuard): ClusterRow {
  const row = getCluster(deps, name);
  const input = validated(body);
  if (input.name !== name) {
    throw new AppError('VALIDATION_FAILED', `a cluster cannot be renamed (from "${name}" to "${input.name}"): create a new one instead`, [
      { path: '/name', code: 'VALIDATION_FAILED', message: `must stay "${name}"` },
    ]);
  }
  guard(caKeyTargetChanges(row.input, input));
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
