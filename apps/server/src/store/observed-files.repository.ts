/**
 * Files a verify found on nodes with content kpki did not issue, by SHA-256: what Go would read
 * in them (certificates, which are public, and a private key's public half), never key material.
 * The link check reads a node's file through its hash: an issued version, else this.
 */
import type { ObservedContent } from '../pki/cert-facts.ts';
import type { Db } from './db.ts';

export function observedFilesRepository(db: Db) {
  const upsert = db.prepare(`INSERT INTO observed_files (cluster_id, sha256, content, seen_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (cluster_id, sha256) DO UPDATE SET seen_at = excluded.seen_at`);
  const byHash = db.prepare('SELECT content FROM observed_files WHERE cluster_id = ? AND sha256 = ?');
  const known = db.prepare('SELECT 1 FROM observed_files WHERE cluster_id = ? AND sha256 = ?');
  return {
    put(clusterId: number, sha256: string, content: ObservedContent, now: string): void {
      upsert.run(clusterId, sha256, JSON.stringify(content), now);
    },
    get(clusterId: number, sha256: string): ObservedContent | null {
      const r = byHash.get(clusterId, sha256) as { content: string } | undefined;
      return r ? (JSON.parse(r.content) as ObservedContent) : null;
    },
    has(clusterId: number, sha256: string): boolean {
      return !!known.get(clusterId, sha256);
    },
  };
}
export type ObservedFilesRepository = ReturnType<typeof observedFilesRepository>;
