/** Loading, error and empty states around a query, the same everywhere. */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Center, Loader, Stack, Text } from '@mantine/core';
import { ErrorAlert } from './error-alert.tsx';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" data-testid="loading">
      <Stack align="center" gap="xs">
        <Loader size="sm" aria-hidden />
        <Text size="sm" c="dimmed" role="status">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack align="center" gap="xs" py="xl" data-testid="empty-state">
      <Text fw={600}>{title}</Text>
      {children && (
        <Text size="sm" c="dimmed" ta="center" component="div">
          {children}
        </Text>
      )}
    </Stack>
  );
}

interface QueryStateProps<T> {
  query: Pick<UseQueryResult<T>, 'data' | 'error' | 'isPending'>;
  /** what to call the thing being loaded, e.g. "certificates" */
  label?: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/** Renders children with the data once present; loading, error or empty state otherwise. */
export function QueryState<T>({ query, label, isEmpty, empty, children }: QueryStateProps<T>) {
  if (query.error) return <ErrorAlert error={query.error} title={label ? `Could not load ${label}` : undefined} />;
  if (query.isPending || query.data === undefined) return <LoadingState label={label ? `Loading ${label}…` : undefined} />;
  if (isEmpty?.(query.data)) return <>{empty ?? <EmptyState title={`No ${label ?? 'data'} yet`} />}</>;
  return <>{children(query.data)}</>;
}
