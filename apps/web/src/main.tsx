import './app/mantine-styles.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from '@tanstack/react-router';
import { Providers } from './app/providers.tsx';
import { createQueryClient } from './app/query-client.ts';
import { createAppRouter } from './app/router.tsx';
import { sessionQueryOptions } from './features/session/api/get-session.ts';

const queryClient = createQueryClient();
// who is signed in is asked now (index.html has the browser fetch it even before this code runs),
// not once React has mounted the router and the root route asks
void queryClient.prefetchQuery(sessionQueryOptions());
const router = createAppRouter(queryClient);
// the page's own code comes while the session is asked: the router would fetch it only after the
// root's beforeLoad (the session) resolved, one round trip later
for (const route of router.getMatchedRoutes(window.location.pathname)[0]) void router.loadRouteChunk(route)?.catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
