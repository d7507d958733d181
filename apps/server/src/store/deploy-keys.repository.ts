/** Each cluster's SSH deploy key: its public half in the clear, its private key sealed (secrets). */
import type { DeployKey } from '@kpki/shared';
import type { Db } from './db.ts';

/** A stored deploy key: the public facts and the id of the sealed private key. */
export type StoredDeployKey = DeployKey & { secretId: string };

export function deployKeysRepository(db: Db) {
  const get = db.prepare('SELECT public_key AS publicKey, fingerprint, source, secret_id AS secretId FROM deploy_keys WHERE cluster_id = ?');
  const upsert = db.prepare(`INSERT INTO deploy_keys (cluster_id, public_key, fingerprint, source, secret_id) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(cluster_id) DO UPDATE SET public_key = excluded.public_key, fingerprint = excluded.fingerprint,
    source = excluded.source, secret_id = excluded.secret_id`);
  return {
    /** The cluster's deploy key, or null when it has none. */
    get(clusterId: number): StoredDeployKey | null {
      return (get.get(clusterId) as StoredDeployKey | undefined) ?? null;
    },
    /** Stores or replaces the cluster's key; returns the secret id of the replaced key (for the caller to delete), or null. */
    put(clusterId: number, key: StoredDeployKey): string | null {
      const previous = (get.get(clusterId) as StoredDeployKey | undefined)?.secretId ?? null;
      upsert.run(clusterId, key.publicKey, key.fingerprint, key.source, key.secretId);
      return previous;
    },
  };
}
export type DeployKeysRepository = ReturnType<typeof deployKeysRepository>;
