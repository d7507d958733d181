/**
 * Clusters and their nodes. A cluster reads back as the ClusterInput it was created from. A
 * deleted cluster keeps its rows (and its name) but is invisible to get/getById/list until it is
 * restored or purged (services/cluster-retention.service.ts).
 */
import type { ClusterInput, ClusterNode, SshSettings } from '@kpki/shared';
import type { RemoteContent } from '@kpki/shared/drift';
import type { Db } from './db.ts';

export interface ClusterRow {
  id: number;
  name: string;
  input: ClusterInput;
  createdAt: string;
  updatedAt: string;
}

/**
 * What kpki last saw on a node: the remote hashes of its last successful look and the last
 * failed look. States are judged from it at read time (services/node-status.ts), so nothing
 * stored here ever needs recomputing when the expected files change.
 */
export interface NodeObservation {
  seen: NodeLook | null;
  /** `detail`: the exact cause of an unreachable node, shown to admins only */
  failure: { at: string; target: string; code: string; message: string; detail?: string } | null;
  /** set by a distribution that left ca-key.pem out (the CA key rule): why and when; kept by later looks */
  caKeyWithheld?: { reason: string; at: string } | null;
}

/** One successful look at a node's folder. */
export interface NodeLook {
  at: string;
  /** the SSH target it was made at (see targetOf); a look at another target says nothing about this one */
  target: string;
  /** the resolved remote folder */
  remoteDir: string;
  /** file name -> SHA-256 and mode, null when absent: every file the node had to hold then, and the kpki-like files listed */
  files: Record<string, RemoteContent | null>;
  /** every name in the folder, null when it could not be listed */
  listing: string[] | null;
}

/** A stored value is an observation only in the current shape (older rows held a NodeStatus: not checked). */
function parseObservation(text: string | null): NodeObservation | null {
  if (!text) return null;
  const v = JSON.parse(text) as Partial<NodeObservation>;
  return v && typeof v === 'object' && 'seen' in v && 'failure' in v ? (v as NodeObservation) : null;
}

/** A deleted cluster, restorable until it is purged. */
export interface DeletedClusterRow extends ClusterRow {
  deletedAt: string;
  deletedBy: string;
}

export function clustersRepository(db: Db) {
  const COLUMNS = 'id, name, spec, created_at AS createdAt, updated_at AS updatedAt';
  const byName = db.prepare(`SELECT ${COLUMNS} FROM clusters WHERE name = ? AND deleted_at IS NULL`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM clusters WHERE id = ? AND deleted_at IS NULL`);
  const all = db.prepare(`SELECT ${COLUMNS} FROM clusters WHERE deleted_at IS NULL ORDER BY name`);
  const DELETED = `${COLUMNS}, deleted_at AS deletedAt, deleted_by AS deletedBy`;
  const deletedByName = db.prepare(`SELECT ${DELETED} FROM clusters WHERE name = ? AND deleted_at IS NOT NULL`);
  const allDeleted = db.prepare(`SELECT ${DELETED} FROM clusters WHERE deleted_at IS NOT NULL ORDER BY deleted_at, name`);
  const markDeleted = db.prepare('UPDATE clusters SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL');
  const restore = db.prepare('UPDATE clusters SET deleted_at = NULL, deleted_by = NULL WHERE id = ? AND deleted_at IS NOT NULL');
  const allIds = db.prepare('SELECT id FROM clusters WHERE deleted_at IS NULL ORDER BY id');
  const nodesOf = db.prepare('SELECT name, role, addresses, ssh FROM nodes WHERE cluster_id = ? ORDER BY position');
  const insertCluster = db.prepare('INSERT INTO clusters (name, spec, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const updateCluster = db.prepare('UPDATE clusters SET spec = ?, updated_at = ? WHERE id = ?');
  const deleteNodes = db.prepare('DELETE FROM nodes WHERE cluster_id = ?');
  const insertNode = db.prepare('INSERT INTO nodes (cluster_id, position, name, role, addresses, ssh, status) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const statusesOf = db.prepare('SELECT name, status FROM nodes WHERE cluster_id = ?');
  const setSsh = db.prepare('UPDATE nodes SET ssh = ? WHERE cluster_id = ? AND name = ?');
  const touch = db.prepare('UPDATE clusters SET updated_at = ? WHERE id = ?');
  const setStatus = db.prepare('UPDATE nodes SET status = ? WHERE cluster_id = ? AND name = ?');
  const getStatus = db.prepare('SELECT status FROM nodes WHERE cluster_id = ? AND name = ?');
  const allStatuses = db.prepare('SELECT name, status FROM nodes WHERE cluster_id = ?');
  const del = db.prepare('DELETE FROM clusters WHERE id = ?');

  type Raw = { id: number; name: string; spec: string; createdAt: string; updatedAt: string };
  const hydrate = (r: Raw): ClusterRow => {
    const nodes = (nodesOf.all(r.id) as Array<{ name: string; role: string; addresses: string; ssh: string | null }>).map(
      (n) => ({ name: n.name, role: n.role, addresses: JSON.parse(n.addresses), ...(n.ssh ? { ssh: JSON.parse(n.ssh) } : {}) }) as ClusterNode,
    );
    return { id: r.id, name: r.name, createdAt: r.createdAt, updatedAt: r.updatedAt, input: { ...JSON.parse(r.spec), nodes } };
  };
  const writeNodes = (clusterId: number, nodes: ClusterNode[], keepStatus: Map<string, string | null>) => {
    deleteNodes.run(clusterId);
    nodes.forEach((n, i) =>
      insertNode.run(clusterId, i, n.name, n.role, JSON.stringify(n.addresses), n.ssh ? JSON.stringify(n.ssh) : null, keepStatus.get(n.name) ?? null),
    );
  };
  const specOf = ({ nodes: _nodes, ...rest }: ClusterInput) => JSON.stringify(rest);

  return {
    get(name: string): ClusterRow | null {
      const r = byName.get(name) as Raw | undefined;
      return r ? hydrate(r) : null;
    },
    getById(id: number): ClusterRow | null {
      const r = byId.get(id) as Raw | undefined;
      return r ? hydrate(r) : null;
    },
    list(): ClusterRow[] {
      return (all.all() as Raw[]).map(hydrate);
    },
    /** A deleted cluster by name (not yet purged), or null. */
    getDeleted(name: string): DeletedClusterRow | null {
      const r = deletedByName.get(name) as (Raw & { deletedAt: string; deletedBy: string }) | undefined;
      return r ? { ...hydrate(r), deletedAt: r.deletedAt, deletedBy: r.deletedBy } : null;
    },
    listDeleted(): DeletedClusterRow[] {
      return (allDeleted.all() as Array<Raw & { deletedAt: string; deletedBy: string }>).map((r) => ({ ...hydrate(r), deletedAt: r.deletedAt, deletedBy: r.deletedBy }));
    },
    markDeleted(id: number, at: string, by: string): boolean {
      return markDeleted.run(at, by, id).changes > 0;
    },
    restore(id: number): boolean {
      return restore.run(id).changes > 0;
    },
    /** Every cluster's id (cheap: no nodes read). */
    ids(): number[] {
      return (allIds.all() as Array<{ id: number }>).map((r) => r.id);
    },
    create(input: ClusterInput, now: string): ClusterRow {
      return db.transaction(() => {
        const id = Number(insertCluster.run(input.name, specOf(input), now, now).lastInsertRowid);
        writeNodes(id, input.nodes, new Map());
        return this.get(input.name)!;
      })();
    },
    update(row: ClusterRow, input: ClusterInput, now: string): ClusterRow {
      return db.transaction(() => {
        const statuses = new Map((statusesOf.all(row.id) as Array<{ name: string; status: string | null }>).map((s) => [s.name, s.status]));
        updateCluster.run(specOf(input), now, row.id);
        writeNodes(row.id, input.nodes, statuses);
        return this.get(row.name)!;
      })();
    },
    /** Deletes the rows for good (with its nodes, certificates, deploy key by cascade). */
    purge(row: ClusterRow): void {
      del.run(row.id);
    },
    /** A node's SSH settings (part of the topology: the cluster's updatedAt becomes `now`). */
    setSsh(clusterId: number, node: string, ssh: SshSettings, now: string): void {
      db.transaction(() => {
        setSsh.run(JSON.stringify(ssh), clusterId, node);
        touch.run(now, clusterId);
      })();
    },
    /** Several nodes' SSH settings at once, in one transaction (the cluster's updatedAt becomes `now`). */
    setSshMany(clusterId: number, settings: Array<{ node: string; ssh: SshSettings }>, now: string): void {
      db.transaction(() => {
        for (const { node, ssh } of settings) setSsh.run(JSON.stringify(ssh), clusterId, node);
        touch.run(now, clusterId);
      })();
    },
    setObservation(clusterId: number, node: string, observation: NodeObservation): void {
      setStatus.run(JSON.stringify(observation), clusterId, node);
    },
    getObservation(clusterId: number, node: string): NodeObservation | null {
      const r = getStatus.get(clusterId, node) as { status: string | null } | undefined;
      return parseObservation(r?.status ?? null);
    },
    /** What kpki last saw on every node of the cluster, in one query (a read of many nodes' states); nodes never looked at are absent. */
    observations(clusterId: number): Map<string, NodeObservation> {
      const out = new Map<string, NodeObservation>();
      for (const r of allStatuses.all(clusterId) as Array<{ name: string; status: string | null }>) {
        const o = parseObservation(r.status);
        if (o) out.set(r.name, o);
      }
      return out;
    },
  };
}
export type ClustersRepository = ReturnType<typeof clustersRepository>;
