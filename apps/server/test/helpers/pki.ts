/** Issues a whole cluster with pki/ and writes it in the tutorial's file layout, for tool tests. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ClusterInput, KeyAlgorithm, PlannedCertificate } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { hardWayPreset } from '@kpki/shared/preset';
import { createCa, issueAll, type CertificateAndKey } from '../../src/pki/index.ts';

export interface IssuedCluster {
  cluster: ClusterInput;
  catalog: PlannedCertificate[];
  ca: CertificateAndKey;
  /** the leaves, in catalog order */
  leaves: Array<CertificateAndKey & { name: string }>;
}

/**
 * The CA and every leaf of `cluster` (default: the tutorial's preset), optionally with another
 * key algorithm and only the leaves named in `only`.
 */
export async function issueCluster(opts: { cluster?: ClusterInput; algorithm?: KeyAlgorithm; only?: string[]; now?: Date } = {}): Promise<IssuedCluster> {
  const cluster = opts.cluster ?? hardWayPreset();
  const algorithm = opts.algorithm ?? cluster.keyAlgorithm;
  const now = opts.now ?? new Date();
  const catalog = buildCatalog(cluster);
  const ca = await createCa({ planned: catalog.find((c) => c.isCa)!, subject: cluster.subject, algorithm, validityHours: cluster.caValidityHours, now });
  const wanted = catalog.filter((c) => !c.isCa && (!opts.only || opts.only.includes(c.name)));
  const leaves = await issueAll({ ca, certificates: wanted, subject: cluster.subject, algorithm, validityHours: cluster.certValidityHours, now });
  return { cluster, catalog, ca, leaves };
}

/** Writes ca.pem, ca-key.pem, <name>.pem and <name>-key.pem (keys 0600) into `dir`. */
export async function writePems(dir: string, issued: Pick<IssuedCluster, 'ca' | 'leaves'>): Promise<void> {
  const all = [{ name: 'ca', ...issued.ca }, ...issued.leaves];
  for (const e of all) {
    await fs.writeFile(path.join(dir, `${e.name}.pem`), e.certPem, { mode: 0o644 });
    await fs.writeFile(path.join(dir, `${e.name}-key.pem`), e.keyPem, { mode: 0o600 });
  }
}
