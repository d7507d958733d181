/**
 * Code-based route tree. Loaders prefetch with the same queryOptions the pages use, so
 * a page renders from cache; page components other than the start page are lazy chunks.
 */
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { jobQueryOptions } from '../api/get-job.ts';
import { certificateQueryOptions } from '../features/certificates/api/get-certificate.ts';
import { certificatesQueryOptions } from '../features/certificates/api/get-certificates.ts';
import { clusterQueryOptions } from '../features/clusters/api/get-cluster.ts';
import { clustersQueryOptions } from '../features/clusters/api/get-clusters.ts';
import { presetQueryOptions } from '../features/clusters/api/get-preset.ts';
import { issuancesQueryOptions } from '../features/issuance/api/get-issuances.ts';
import { jobsQueryOptions } from '../features/jobs/api/get-jobs.ts';
import { deployKeyQueryOptions } from '../features/nodes/api/get-deploy-key.ts';
import { nodeStatusQueryOptions } from '../features/nodes/api/get-node-status.ts';
import { nodesQueryOptions } from '../features/nodes/api/get-nodes.ts';
import { planQueryOptions } from '../features/plan/api/get-plan.ts';
import { AppLayout } from './layout/app-layout.tsx';
import { NotFound, RouteError, RoutePending } from './layout/route-states.tsx';
import { StartRoute } from './routes/start-route.tsx';

export interface RouterContext {
  queryClient: QueryClient;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const jobSearch = (s: Record<string, unknown>): { job?: string } => ({ job: str(s.job) });

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: AppLayout, notFoundComponent: NotFound });

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  loader: ({ context }) => context.queryClient.prefetchQuery(clustersQueryOptions()),
  component: StartRoute,
});

const newClusterRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/clusters/new',
  validateSearch: (s: Record<string, unknown>): { from?: 'preset' } => ({ from: s.from === 'preset' ? 'preset' : undefined }),
  loaderDeps: ({ search }) => ({ from: search.from }),
  loader: ({ context, deps }) => (deps.from ? context.queryClient.prefetchQuery(presetQueryOptions()) : undefined),
  component: lazyRouteComponent(() => import('./routes/cluster-form-routes.tsx'), 'NewClusterRoute'),
});

const clusterRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/clusters/$cluster',
  loader: ({ context, params }) => context.queryClient.prefetchQuery(clusterQueryOptions(params.cluster)),
  component: Outlet,
});

const overviewRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: '/',
  validateSearch: jobSearch,
  loader: ({ context: { queryClient }, params }) =>
    Promise.all([queryClient.prefetchQuery(issuancesQueryOptions(params.cluster)), queryClient.prefetchQuery(planQueryOptions(params.cluster))]),
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
  loader: ({ context, params }) => context.queryClient.prefetchQuery(certificatesQueryOptions(params.cluster, 'all')),
  component: lazyRouteComponent(() => import('./routes/certificate-routes.tsx'), 'CertificatesRoute'),
});

const certificateRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'certificates/$name',
  validateSearch: (s: Record<string, unknown>): { serial?: string } => ({ serial: str(s.serial) }),
  loaderDeps: ({ search }) => ({ serial: search.serial }),
  loader: ({ context, params, deps }) => context.queryClient.prefetchQuery(certificateQueryOptions(params.cluster, params.name, deps.serial)),
  component: lazyRouteComponent(() => import('./routes/certificate-routes.tsx'), 'CertificateRoute'),
});

const talksRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'talks',
  loader: ({ context, params }) => context.queryClient.prefetchQuery(planQueryOptions(params.cluster)),
  component: lazyRouteComponent(() => import('./routes/talks-route.tsx'), 'TalksRoute'),
});

const nodesRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'nodes',
  validateSearch: jobSearch,
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

const jobsRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: 'jobs',
  loader: ({ context, params }) => context.queryClient.prefetchQuery(jobsQueryOptions(params.cluster)),
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
  newClusterRoute,
  clusterRoute.addChildren([overviewRoute, editRoute, certificatesRoute, certificateRoute, talksRoute, nodesRoute, nodeRoute, jobsRoute, jobRoute]),
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
