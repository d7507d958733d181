/**
 * The current content kpki holds for a file a node receives, read through the API as a client
 * would: a certificate, a key, a kubeconfig or the encryption config. The caller re-enters the
 * password first when it asks for ca-key.pem or admin.kubeconfig (the CA key rule).
 */
import type { FastifyInstance } from 'fastify';
import { ENCRYPTION_CONFIG_FILE } from '@kpki/shared/kubeconfigs';

/** The API path of a node file's current content, e.g. worker1-key.pem -> /certificates/worker1/key.pem. */
export function storedFilePath(file: string): string {
  if (file === ENCRYPTION_CONFIG_FILE) return '/encryption-config';
  if (file.endsWith('.kubeconfig')) return `/kubeconfigs/${file.slice(0, -'.kubeconfig'.length)}`;
  return `/certificates/${file.replace(/(-key)?\.pem$/, '')}/${file.endsWith('-key.pem') ? 'key' : 'cert'}.pem`;
}

/** The current content of `file` of cluster `cluster` (fails when the API refuses it). */
export async function storedFile(app: FastifyInstance, cluster: string, file: string): Promise<string> {
  const res = await app.inject(`/api/v1/clusters/${cluster}${storedFilePath(file)}`);
  if (res.statusCode !== 200) throw new Error(`${file}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return res.body;
}
