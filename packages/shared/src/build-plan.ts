/** The whole plan of a cluster: catalog, matrix and files per node, from one topology. Pure. */
import type { ClusterInput } from './api/cluster.ts';
import type { Plan } from './plan.ts';
import { buildCatalog } from './catalog.ts';
import { buildFiles } from './distribution.ts';
import { buildEncryptionConfig, buildKubeconfigs } from './kubeconfigs.ts';
import { buildMatrix, matrixRows } from './matrix.ts';

/**
 * Plan of a cluster that passed validateCluster: the catalog (buildCatalog), the concrete edges
 * of who talks to whom (buildMatrix, one edge per kubelet), the kubeconfigs and the encryption
 * config (buildKubeconfigs, buildEncryptionConfig) and the files of every node (buildFiles).
 * @throws RangeError when the service CIDR has no usable address.
 */
export function buildPlan(cluster: ClusterInput): Plan {
  const certificates = buildCatalog(cluster);
  const kubeconfigs = buildKubeconfigs(cluster, certificates);
  const encryptionConfig = buildEncryptionConfig(cluster);
  return {
    certificates,
    matrix: buildMatrix(cluster),
    matrixRows: matrixRows(cluster),
    files: buildFiles(cluster, certificates, { kubeconfigs, encryptionConfig }),
    kubeconfigs,
    encryptionConfig,
  };
}
