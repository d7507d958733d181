/**
 * tar.gz bundles in the tutorial's layout (ca.pem, ca-key.pem, admin.pem, ..., the kubeconfigs
 * and encryption-config.yaml): every current file of the cluster, or one node's files. Keys,
 * kubeconfigs and the encryption config 0600, certificates 0644 inside the archive.
 */
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { bundleFiles as allFiles } from '@kpki/shared/distribution';
import type { Plan, PlannedFile } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { planOf } from './plans.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import { plannedFileVersion } from './config-files.service.ts';

export interface BundleFile {
  name: string;
  mode: number;
  content: string;
}

/** The content of each planned file, from the current issuance; throws NOT_ISSUED if a file has none. */
export function resolveFiles(deps: Deps, row: ClusterRow, files: PlannedFile[], plan: Plan = planOf(row.input)): BundleFile[] {
  return files.map((f) => {
    const version = plannedFileVersion(deps, row, plan, f, true);
    if (!version) throw new AppError('NOT_ISSUED', `${f.file} has not been issued yet: create the CA and issue the certificates first`);
    return { name: f.file, mode: parseInt(f.mode, 8), content: version.content! };
  });
}

/** The files of the whole cluster (each certificate and key, the kubeconfigs and the encryption config), or only `node`'s. */
export function bundlePlan(row: ClusterRow, node?: string): PlannedFile[] {
  const plan = planOf(row.input);
  if (node === undefined) return allFiles(plan.certificates, plan);
  const files = plan.files[node];
  if (!files) throw new AppError('NODE_NOT_FOUND', `node "${node}" is not in cluster "${row.name}"`);
  return files;
}

export function tarGz(files: BundleFile[], mtime: Date): Readable {
  const pack = tar.pack();
  for (const f of files) pack.entry({ name: f.name, mode: f.mode, mtime, size: Buffer.byteLength(f.content) }, f.content);
  pack.finalize();
  return pack.pipe(zlib.createGzip()) as unknown as Readable;
}
