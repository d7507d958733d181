/**
 * Query keys of every endpoint. Everything about one cluster starts with
 * ['clusters', name], so a finished job can refresh a whole cluster with one
 * invalidation, without features importing each other.
 */
export const queryKeys = {
  clusters: () => ['clusters'] as const,
  deletedClusters: () => ['deleted-clusters'] as const,
  cluster: (cluster: string) => ['clusters', cluster] as const,
  clusterDetail: (cluster: string) => ['clusters', cluster, 'detail'] as const,
  /** the cluster with its version (ETag), for the topology editor */
  clusterVersioned: (cluster: string) => ['clusters', cluster, 'versioned'] as const,
  plan: (cluster: string) => ['clusters', cluster, 'plan'] as const,
  /** a lean view of the plan (GET .../plan?view=): under the plan's key */
  planView: (cluster: string, view: 'talks' | 'ca-key-files') => ['clusters', cluster, 'plan', { view }] as const,
  issuances: (cluster: string) => ['clusters', cluster, 'issuances'] as const,
  certificates: (cluster: string, status: 'current' | 'all') => ['clusters', cluster, 'certificates', { status }] as const,
  /** every version, brief (the certificates page's list) */
  certificateRows: (cluster: string) => ['clusters', cluster, 'certificates', { status: 'all', view: 'brief' }] as const,
  certificate: (cluster: string, name: string, serial?: string) =>
    ['clusters', cluster, 'certificate', name, { serial: serial ?? null }] as const,
  addressCheck: (cluster: string, name: string, address: string) =>
    ['clusters', cluster, 'certificate', name, 'check', address] as const,
  nodes: (cluster: string) => ['clusters', cluster, 'nodes'] as const,
  /** every links query of a cluster (invalidate this after a verify) */
  links: (cluster: string) => ['clusters', cluster, 'links'] as const,
  /** `part`: which links of the check a page shows (failing, q, node, page) */
  linksOf: (cluster: string, source: string, inDays: number, part: object = {}) => ['clusters', cluster, 'links', { source, inDays, ...part }] as const,
  nodeStatus: (cluster: string, node: string) => ['clusters', cluster, 'nodes', node, 'status'] as const,
  deployKey: (cluster: string) => ['clusters', cluster, 'ssh-key'] as const,
  kubeconfigs: (cluster: string) => ['clusters', cluster, 'kubeconfigs'] as const,
  expiry: (cluster: string) => ['clusters', cluster, 'expiry'] as const,
  changes: (cluster: string) => ['clusters', cluster, 'changes'] as const,
  preset: () => ['presets', 'hard-way'] as const,
  session: () => ['session'] as const,
  users: () => ['admin', 'users'] as const,
  tokens: () => ['admin', 'tokens'] as const,
  audit: (limit: number, filter: object = {}) => ['admin', 'audit', { limit, ...filter }] as const,
  auditFacets: () => ['admin', 'audit', 'facets'] as const,
  auditCounts: (filter: object = {}) => ['admin', 'audit', 'counts', filter] as const,
  auditArchives: () => ['admin', 'audit', 'archives'] as const,
  jobs: (cluster?: string, filter: object = {}) => ['jobs', 'list', { cluster: cluster ?? null, ...filter }] as const,
  job: (id: string) => ['jobs', 'detail', id] as const,
};
