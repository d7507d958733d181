import { QueryClient } from '@tanstack/react-query';
import { shouldRetry } from '../api/client.ts';

/** One QueryClient for the app: data is fresh for 5 s, 4xx answers are not retried. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
