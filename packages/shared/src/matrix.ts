/**
 * Who talks to whom (docs/domain.md section 3) and the identities the API server reads from client
 * certificates. Pure.
 *
 * Design: the matrix has two views of the same eight rows.
 * - `matrixRows(cluster)` gives the eight kinds of connection of the table, always eight rows in
 *   the table's order; each row lists the certificate(s) the client presents. Only the kubelet
 *   row can list several: one certificate per worker (none when there is no worker).
 * - `buildMatrix(cluster)` gives the concrete edges, one per (row, certificate), so the kubelet
 *   row becomes one edge per worker with client "kubelet (<w>)". This is `Plan.matrix`. The
 *   preset yields 9 edges (two workers); a cluster without workers yields 7.
 */
import type { ClusterInput } from './api/cluster.ts';
import type { MatrixEdge, MatrixRow, PlannedCertificate } from './plan.ts';
import { buildCatalog, nodesWithRole } from './catalog.ts';

/** One row of the table of docs/domain.md section 3. */

/** One row of the tutorial's identity table ("How identity works"). */
export interface IdentityRow {
  /** "admin", "kubelet (<w>)", "kube-proxy", "kube-scheduler", "kube-controller-manager" */
  component: string;
  /** catalog name of the certificate */
  certificate: string;
  cn: string;
  o: string;
  /** the Kubernetes identity that CN and O yield */
  identity: string;
}

interface RowTemplate {
  client: string;
  server: string;
  /** fixed certificate name, or null for "the certificate of each worker" */
  certificate: string | null;
  description: string;
}

const ROWS: readonly RowTemplate[] = [
  { client: 'kubectl (admin)', server: 'kube-apiserver', certificate: 'admin', description: 'Admin client cert' },
  { client: 'kube-apiserver', server: 'etcd', certificate: 'kubernetes', description: 'API server client cert for etcd' },
  { client: 'kube-apiserver', server: 'kubelet', certificate: 'kubernetes', description: 'API server client cert' },
  { client: 'kubelet', server: 'kube-apiserver', certificate: null, description: 'Kubelet client cert (per node)' },
  { client: 'kube-proxy', server: 'kube-apiserver', certificate: 'kube-proxy', description: 'Kube-proxy client cert' },
  { client: 'kube-scheduler', server: 'kube-apiserver', certificate: 'kube-scheduler', description: 'Scheduler client cert' },
  {
    client: 'kube-controller-manager', server: 'kube-apiserver', certificate: 'kube-controller-manager',
    description: 'Controller-manager client cert',
  },
  { client: 'etcd peer', server: 'etcd peer', certificate: 'etcd', description: 'etcd peer cert' },
];

/** The eight rows of docs/domain.md section 3, in its order; the kubelet row lists every worker's certificate. */
export function matrixRows(cluster: ClusterInput): MatrixRow[] {
  const workers = nodesWithRole(cluster, 'worker').map((node) => node.name);
  return ROWS.map((row) => ({
    client: row.client,
    server: row.server,
    certificates: row.certificate === null ? [...workers] : [row.certificate],
    description: row.description,
    perWorker: row.certificate === null,
  }));
}

/**
 * Concrete edges: every row of matrixRows expanded to one edge per certificate; the kubelet
 * row gives client "kubelet (<w>)" with certificate <w>, for each worker in topology order.
 */
export function buildMatrix(cluster: ClusterInput): MatrixEdge[] {
  const workers = nodesWithRole(cluster, 'worker').map((node) => node.name);
  return ROWS.flatMap((row): MatrixEdge[] =>
    row.certificate === null
      ? workers.map((worker) => ({ client: `${row.client} (${worker})`, server: row.server, certificate: worker }))
      : [{ client: row.client, server: row.server, certificate: row.certificate }],
  );
}

const IDENTITY_ORDER = ['admin', 'kubelet', 'kube-proxy', 'kube-scheduler', 'kube-controller-manager'] as const;

/**
 * The identity table: every client certificate the API server maps to a Kubernetes user or
 * group, in the tutorial's order (admin, each kubelet, kube-proxy, kube-scheduler,
 * kube-controller-manager), CN and O taken from the catalog. Pass `catalog` to reuse one
 * already built (default: buildCatalog(cluster)).
 */
export function identities(cluster: ClusterInput, catalog: readonly PlannedCertificate[] = buildCatalog(cluster)): IdentityRow[] {
  const rows: IdentityRow[] = [];
  for (const kind of IDENTITY_ORDER) {
    for (const certificate of catalog) {
      if (certificate.kind !== kind || certificate.identity === undefined) continue;
      rows.push({
        component: kind === 'kubelet' ? `kubelet (${certificate.name})` : kind,
        certificate: certificate.name,
        cn: certificate.cn,
        o: certificate.o,
        identity: certificate.identity,
      });
    }
  }
  return rows;
}
