/**
 * What a certificate's page needs of the cluster's plan, computed from the topology (the plan of
 * 1,000 nodes is 2 MB to download): the nodes whose bundle holds ca-key.pem and the certificate's kind.
 */
import { buildCatalog, buildFiles, holdsCaKey, type CertificateKind, type ClusterInput } from '@kpki/shared';

export interface PlanFacts {
  /** nodes whose bundle holds ca-key.pem: the same files per node as the server's plan (buildFiles over the catalog) */
  caKeyNodes: string[];
  /** the kind of the planned certificate of that name; null when the plan has none (issued from an earlier topology) */
  kind: CertificateKind | null;
}

/** Null when the plan cannot be built from the topology (the server says why): every bundle is then treated as holding the CA key. */
export function planFactsOf(topology: ClusterInput, name: string): PlanFacts | null {
  try {
    const catalog = buildCatalog(topology);
    const files = buildFiles(topology, catalog);
    return {
      caKeyNodes: Object.keys(files).filter((node) => holdsCaKey(files[node])),
      kind: catalog.find((c) => c.name === name)?.kind ?? null,
    };
  } catch {
    return null;
  }
}
