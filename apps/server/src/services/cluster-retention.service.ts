/**
 * Deleting a cluster (issue 8, item 3): a deleted cluster keeps its CA, certificates, keys and
 * deploy key, invisible to every other route, for KPKI_DELETED_CLUSTER_RETENTION_DAYS (default 7);
 * an admin restores it, or purges it for good. Past the retention it is purged by kpki itself
 * (maintenance, and before any deleted cluster is listed or restored, so nothing past its time
 * is shown as restorable).
 */
import type { DeletedCluster } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { AppError, notFound } from '../lib/errors.ts';
import type { DeletedClusterRow } from '../store/clusters.repository.ts';
import { getCluster } from './clusters.service.ts';

const DAY_MS = 86_400_000;

const purgeAfter = (deps: Deps, row: DeletedClusterRow) => new Date(Date.parse(row.deletedAt) + deps.config.deletedClusterRetentionDays * DAY_MS).toISOString();

function view(deps: Deps, row: DeletedClusterRow): DeletedCluster {
  const certificates = deps.certificates.listCurrent(row.id);
  return {
    name: row.name, deletedAt: row.deletedAt, deletedBy: row.deletedBy, purgeAfter: purgeAfter(deps, row),
    hasCa: certificates.some((c) => c.name === 'ca'), certificates: certificates.length, nodes: row.input.nodes.length,
  };
}

/** Deletes a cluster into the recoverable state. */
export function deleteCluster(deps: Deps, name: string, by: string): DeletedCluster {
  const row = getCluster(deps, name);
  deps.clusters.markDeleted(row.id, deps.now().toISOString(), by);
  deps.keys.forget(row.id); // keys prepared ahead of its issuance: a deleted cluster needs none
  return view(deps, deps.clusters.getDeleted(name)!);
}

/** Removes the rows of a deleted cluster and the sealed secrets its certificates, deploy key, encryption config, CA rotations and pending imports held. */
function purgeRow(deps: Deps, row: DeletedClusterRow): void {
  deps.transaction(() => {
    const deployKey = deps.deployKeys.get(row.id);
    const secretIds = [...deps.certificates.secretIds(row.id), ...(deployKey ? [deployKey.secretId] : []), ...deps.generatedFiles.secretIds(row.id), ...deps.caRotations.secretIds(row.id), ...deps.imports.secretIds(row.id)];
    deps.clusters.purge(row);
    deps.secrets.delete(secretIds);
  });
}

/** Purges every deleted cluster past its retention; writes an audit line for each; returns their names. */
export function purgeExpiredClusters(deps: Deps): string[] {
  const now = deps.now().toISOString();
  const due = deps.clusters.listDeleted().filter((row) => purgeAfter(deps, row) <= now);
  for (const row of due) {
    purgeRow(deps, row);
    deps.audit.append({
      at: now, actor: 'kpki', action: 'cluster-purged', object: `cluster=${row.name}`, address: '-', result: 'ok',
      details: { reason: `deleted ${row.deletedAt} by ${row.deletedBy}; kept ${deps.config.deletedClusterRetentionDays} days (KPKI_DELETED_CLUSTER_RETENTION_DAYS)` },
    });
  }
  return due.map((r) => r.name);
}

export function listDeletedClusters(deps: Deps): DeletedCluster[] {
  purgeExpiredClusters(deps);
  return deps.clusters.listDeleted().map((row) => view(deps, row));
}

function findDeleted(deps: Deps, name: string): DeletedClusterRow {
  purgeExpiredClusters(deps);
  const row = deps.clusters.getDeleted(name);
  if (!row) throw notFound('CLUSTER_NOT_FOUND', `deleted cluster "${name}" (never deleted, restored, or purged after its retention)`);
  return row;
}

/** Brings a deleted cluster back as it was, CA and keys included. */
export function restoreCluster(deps: Deps, name: string): void {
  const row = findDeleted(deps, name);
  if (!deps.clusters.restore(row.id)) throw new AppError('CLUSTER_NOT_FOUND', `cluster "${name}" was restored or purged meanwhile`);
  void deps.keys.refresh(row.id); // the keys it will need, ahead again
}

/** Purges a deleted cluster now, for good. */
export function purgeCluster(deps: Deps, name: string): void {
  purgeRow(deps, findDeleted(deps, name));
}
