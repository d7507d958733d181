/**
 * Code-based route tree. Loaders prefetch with the same queryOptions the pages use, so
 * a page renders from cache; page components (but /sign-in's) and the cluster frame are lazy chunks.
 */
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { jobQueryOptions } from '../api/get-job.ts';
import { certificateQueryOptions } from '../features/certificates/api/get-certificate.ts';
import { certificateRowsQueryOptions } from '../features/certificates/api/get-certificates.ts';
import { clusterQueryOptions } from '../features/clusters/api/get-cluster.ts';
import { clustersQueryOptions } from '../features/clusters/api/get-clusters.ts';
import { presetQueryOptions } from '../features/clusters/api/get-preset.ts';
import { issuancesQueryOptions } from '../features/issuance/api/get-issuances.ts';
import { jobsQueryOptions } from '../features/jobs/api/get-jobs.ts';
import { deployKeyQueryOptions } from '../features/nodes/api/get-deploy-key.ts';
import { nodeStatusQueryOptions } from '../features/nodes/api/get-node-status.ts';
import { nodesQueryOptions } from '../features/nodes/api/get-nodes.ts';
import { planTalksQueryOptions } from '../api/get-plan.ts';
import { linksQueryOptions } from '../features/links/api/get-links.ts';
import { changesQueryOptions } from '../features/lifecycle/api/get-changes.ts';
import { expiryQueryOptions } from '../features/lifecycle/api/get-expiry.ts';
import { caRotationQueryOptions } from '../features/ca-rotation/api/ca-rotation.ts';
import { sessionQueryOptions, type SessionState } from '../features/session/api/get-session.ts';
import { auditCountsQueryOptions, auditQueryOptions, auditSearch } from '../features/audit/api/get-audit.ts';
import { tokensQueryOptions } from '../features/users/api/get-tokens.ts';
import { usersQueryOptions } from '../features/users/api/get-users.ts';
import type { SignInReason } from '../features/session/components/sign-in-page.tsx';
import { permissionsFromSession } from '../lib/permissions.ts';
import { safeRedirect } from '../lib/redirect.ts';
import { tableSearch } from '../lib/table-query.ts';
import { CERTIFICATE_TABLE_KEYS, EXPIRY_TABLE_KEYS, JOB_TABLE_KEYS, JOBS_SHOWN, NODE_TABLE_KEYS } from './table-keys.ts';
import { AppLayout } from './layout/app-layout.tsx';
import { NotFound, RouteError, RoutePending } from './layout/route-states.tsx';
import { SignInRoute } from './routes/sign-in-route.tsx';

export interface RouterContext {
  queryClient: QueryClient;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const jobSearch = (s: Record<string, unknown>): { job?: string } => ({ job: str(s.job) });

export const SIGN_IN_PATH = '/sign-in';

/** The session, read once and cached: null when signed out, undefined when the server cannot be reached (pages show that error). */
async function currentSession(queryClient: QueryClient): Promise<SessionState | undefined> {
  return queryClient.ensureQueryData(sessionQueryOptions()).catch(() => undefined);
}

/** Every page but /sign-in needs a signed-in user: without one, go to /sign-in and come back afterwards. */
const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppLayout,
  notFoundComponent: NotFound,
  beforeLoad: async ({ context, location }) => {
    if (location.pathname === SIGN_IN_PATH) return;
    const session = await currentSession(context.queryClient);
    if (session === null) {
      throw redirect({ to: SIGN_IN_PATH, search: { redirect: location.href } });
    }
  },
});

const REASONS: readonly SignInReason[] = ['expired', 'password-changed', 'signed-out'];

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: SIGN_IN_PATH,
  validateSearch: (s: Record<string, unknown>): { redirect?: string; reason?: SignInReason } => ({
    redirect: str(s.redirect),
    reason: REASONS.includes(s.reason as SignInReason) ? (s.reason as SignInReason) : undefined,
  }),
  // already signed in (and not sent here by a 401): straight on
  beforeLoad: async ({ context, search }) => {
    const session = await currentSession(context.queryClient);
    if (session) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: SignInRoute,
});

/** Admin pages prefetch only for admins (others see a note, the API would answer 403). */
const isAdmin = (queryClient: QueryClient) =>
  permissionsFromSession(queryClient.getQueryData<SessionState>(sessionQueryOptions().queryKey)).canAdmin;

const usersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/users',
  loader: ({ context: { queryClient } }) =>
    isAdmin(queryClient) ? Promise.all([queryClient.prefetchQuery(usersQueryOptions()), queryClient.prefetchQuery(tokensQueryOptions())]) : undefined,
  component: lazyRouteComponent(() => import('./routes/admin-routes.tsx'), 'UsersRoute'),
});

const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  // the filters: the search (q), the result (ok, denied, failed), actor, action, cluster, node, since and until (dates)
  validateSearch: auditSearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient }, deps }) => {
    if (!isAdmin(queryClient)) return undefined;
    // the counts (a scan of the whole log) arrive when they are ready; the page does not wait for them
    void queryClient.prefetchQuery(auditCountsQueryOptions(deps));
    return queryClient.prefetchInfiniteQuery(auditQueryOptions(undefined, deps));
  },
  component: lazyRouteComponent(() => import('./routes/admin-routes.tsx'), 'AuditRoute'),
});

const accountRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/account',
  component: lazyRouteComponent(() => import('./routes/admin-routes.tsx'), 'AccountRoute'),
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  loader: ({ context }) => context.queryClient.prefetchQuery(clustersQueryOptions()),
  component: lazyRouteComponent(() => import('./routes/start-route.tsx'), 'StartRoute'),
});

const newClusterRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/clusters/new',
  validateSearch: (s: Record<string, unknown>): { from?: 'preset' } => ({ from: s.from === 'preset' ? 'preset' : undefined }),
  loaderDeps: ({ search }) => ({ from: search.from }),
  loader: ({ context, deps }) => (deps.from ? context.queryClient.prefetchQuery(presetQueryOptions()) : undefined),
  component: lazyRouteComponent(() => import('./routes/cluster-form-routes.tsx'), 'NewClusterRoute'),
});

// the cluster's topology (large for a fleet) is prefetched by the pages that show it, not by every page of the cluster
const clusterRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/clusters/$cluster',
  // its banners (expiry, CA rotation) are a chunk of their own, fetched with the page's (main.tsx), not by /audit or /
  component: lazyRouteComponent(() => import('./routes/cluster-frame.tsx'), 'ClusterFrame'),
});
const prefetchCluster = (queryClient: QueryClient, cluster: string) => queryClient.prefetchQuery(clusterQueryOptions(cluster));

const overviewRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: '/',
  // job: the issuance followed; distribution: the distribution followed in the guided flow
  validateSearch: (s: Record<string, unknown>): { job?: string; distribution?: string } => ({ job: str(s.job), distribution: str(s.distribution) }),
  // the nodes (brief) say which nodes receive files: the full plan is read only when the plan is reviewed
  loader: ({ context: { queryClient }, params }) =>
    Promise.all([prefetchCluster(queryClient, params.cluster), queryClient.prefetchQuery(issuancesQueryOptions(params.cluster)), queryClient.prefetchQuery(nodesQueryOptions(params.cluster))]),
  component: lazyRouteComponent(() => import('./routes/overview-route.tsx'), 'OverviewRoute'),
});

const editRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'edit',
  component: lazyRouteComponent(() => import('./routes/cluster-form-routes.tsx'), 'EditClusterRoute'),
});

const certificatesRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'certificates',
  // q, sort, page, status (current unless said), expiry: the table's query
  validateSearch: (s: Record<string, unknown>) => tableSearch(s, CERTIFICATE_TABLE_KEYS),
  // the brief list only: the page needs neither the topology nor the plan
  loader: ({ context, params }) => context.queryClient.prefetchQuery(certificateRowsQueryOptions(params.cluster)),
  component: lazyRouteComponent(() => import('./routes/certificate-routes.tsx'), 'CertificatesRoute'),
});

const certificateRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'certificates/$name',
  validateSearch: (s: Record<string, unknown>): { serial?: string } => ({ serial: str(s.serial) }),
  loaderDeps: ({ search }) => ({ serial: search.serial }),
  loader: ({ context, params, deps }) =>
    Promise.all([prefetchCluster(context.queryClient, params.cluster), context.queryClient.prefetchQuery(certificateQueryOptions(params.cluster, params.name, deps.serial))]),
  component: lazyRouteComponent(() => import('./routes/certificate-routes.tsx'), 'CertificateRoute'),
});

const LINK_SOURCES = ['deployed', 'issued', 'planned'] as const;
const talksRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'talks',
  // which files the link check reads and when (default: the nodes' files, now)
  validateSearch: (s: Record<string, unknown>): { source?: (typeof LINK_SOURCES)[number]; inDays?: number } => ({
    source: LINK_SOURCES.includes(s.source as (typeof LINK_SOURCES)[number]) ? (s.source as (typeof LINK_SOURCES)[number]) : undefined,
    inDays: Number.isInteger(Number(s.inDays)) && Number(s.inDays) > 0 ? Math.min(Number(s.inDays), 36500) : undefined,
  }),
  loaderDeps: ({ search }) => search,
  loader: ({ context, params, deps }) =>
    Promise.all([
      context.queryClient.prefetchQuery(planTalksQueryOptions(params.cluster)),
      context.queryClient.prefetchQuery(linksQueryOptions(params.cluster, deps.source ?? 'deployed', deps.inDays ?? 0)),
    ]),
  component: lazyRouteComponent(() => import('./routes/talks-route.tsx'), 'TalksRoute'),
});


const nodesRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'nodes',
  // job: the job followed; q, sort, page, state, role: the table's search, sort, page and filters
  validateSearch: (s: Record<string, unknown>) => ({ ...jobSearch(s), ...tableSearch(s, NODE_TABLE_KEYS) }),
  loader: ({ context: { queryClient }, params }) =>
    Promise.all([queryClient.prefetchQuery(nodesQueryOptions(params.cluster)), queryClient.prefetchQuery(deployKeyQueryOptions(params.cluster))]),
  component: lazyRouteComponent(() => import('./routes/node-routes.tsx'), 'NodesRoute'),
});

const nodeRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'nodes/$node',
  validateSearch: jobSearch,
  loader: ({ context: { queryClient }, params }) =>
    Promise.all([
      queryClient.prefetchQuery(nodesQueryOptions(params.cluster)),
      queryClient.prefetchQuery(nodeStatusQueryOptions(params.cluster, params.node)),
      queryClient.prefetchQuery(deployKeyQueryOptions(params.cluster)),
    ]),
  component: lazyRouteComponent(() => import('./routes/node-routes.tsx'), 'NodeRoute'),
});

const expiryRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'expiry',
  // job (a renewal's progress) and the table's query: q, sort, page, state, where
  validateSearch: (s: Record<string, unknown>) => ({ ...jobSearch(s), ...tableSearch(s, EXPIRY_TABLE_KEYS) }),
  loader: ({ context, params }) => context.queryClient.prefetchQuery(expiryQueryOptions(params.cluster)),
  component: lazyRouteComponent(() => import('./routes/lifecycle-routes.tsx'), 'ExpiryRoute'),
});

const changesRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'changes',
  validateSearch: jobSearch,
  loader: ({ context, params }) => context.queryClient.prefetchQuery(changesQueryOptions(params.cluster)),
  component: lazyRouteComponent(() => import('./routes/lifecycle-routes.tsx'), 'ChangesRoute'),
});

const caRotationRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'ca-rotation',
  validateSearch: jobSearch,
  loader: ({ context, params }) => context.queryClient.prefetchQuery(caRotationQueryOptions(params.cluster)),
  component: lazyRouteComponent(() => import('./routes/ca-rotation-route.tsx'), 'CaRotationRoute'),
});

const importRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'import',
  validateSearch: (s: Record<string, unknown>): { job?: string; import?: string } => ({ ...jobSearch(s), import: str(s.import) }),
  loader: ({ context, params }) => prefetchCluster(context.queryClient, params.cluster),
  component: lazyRouteComponent(() => import('./routes/import-route.tsx'), 'ImportRoute'),
});

const jobsRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'jobs',
  // q, sort, page, kind, status: the table's query
  validateSearch: (s: Record<string, unknown>) => tableSearch(s, JOB_TABLE_KEYS),
  loader: ({ context, params }) => context.queryClient.prefetchQuery(jobsQueryOptions(params.cluster, { limit: JOBS_SHOWN })),
  component: lazyRouteComponent(() => import('./routes/job-routes.tsx'), 'JobsRoute'),
});

const jobRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'jobs/$jobId',
  loader: ({ context, params }) => context.queryClient.prefetchQuery(jobQueryOptions(params.jobId)),
  component: lazyRouteComponent(() => import('./routes/job-routes.tsx'), 'JobRoute'),
});

export const routeTree = rootRoute.addChildren([
  indexRoute,
  signInRoute,
  usersRoute,
  auditRoute,
  accountRoute,
  newClusterRoute,
  clusterRoute.addChildren([
    overviewRoute, editRoute, certificatesRoute, certificateRoute, talksRoute, nodesRoute, nodeRoute, expiryRoute, changesRoute, caRotationRoute, importRoute, jobsRoute, jobRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: RoutePending,
    defaultPendingMs: 300,
    defaultErrorComponent: RouteError,
    defaultNotFoundComponent: NotFound,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
