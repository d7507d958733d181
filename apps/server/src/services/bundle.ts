/**
 * tar.gz bundles in the tutorial's layout (ca.pem, ca-key.pem, admin.pem, ...): every current
 * file of the cluster, or one node's files. Keys 0600, certificates 0644 inside the archive.
 */
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { buildPlan } from '@kpki/shared/build-plan';
import type { PlannedFile } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';

export interface BundleFile {
  name: string;
  mode: number;
  content: string;
}

/** The content of each planned file, from the current issuance; throws NOT_ISSUED if a file has none. */
export function resolveFiles(deps: Deps, row: ClusterRow, files: PlannedFile[]): BundleFile[] {
  return files.map((f) => {
    const cert = deps.certificates.getCurrent(row.id, f.certificate);
    if (!cert) throw new AppError('NOT_ISSUED', `${f.file} has not been issued yet: create the CA and issue the certificates first`);
    return { name: f.file, mode: parseInt(f.mode, 8), content: f.part === 'cert' ? cert.pem : deps.certificates.keyPem(cert) };
  });
}

/** Every file of the cluster (each certificate and key), or only `node`'s. */
export function bundleFiles(deps: Deps, row: ClusterRow, node?: string): BundleFile[] {
  const plan = buildPlan(row.input);
  if (node !== undefined) {
    const files = plan.files[node];
    if (!files) throw new AppError('NODE_NOT_FOUND', `node "${node}" is not in cluster "${row.name}"`);
    return resolveFiles(deps, row, files);
  }
  const all: PlannedFile[] = plan.certificates.flatMap((c) => [
    { file: `${c.name}.pem`, mode: '0644' as const, certificate: c.name, part: 'cert' as const },
    { file: `${c.name}-key.pem`, mode: '0600' as const, certificate: c.name, part: 'key' as const },
  ]);
  return resolveFiles(deps, row, all);
}

export function tarGz(files: BundleFile[], mtime: Date): Readable {
  const pack = tar.pack();
  for (const f of files) pack.entry({ name: f.name, mode: f.mode, mtime, size: Buffer.byteLength(f.content) }, f.content);
  pack.finalize();
  return pack.pipe(zlib.createGzip()) as unknown as Readable;
}
