/** What the router shows while a route loads, when it fails, and for unknown URLs. */
import { Button, Group, Stack } from '@mantine/core';
import { Link, useRouter, type ErrorComponentProps } from '@tanstack/react-router';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { EmptyState, LoadingState } from '../../components/query-state.tsx';

export function RoutePending() {
  return <LoadingState />;
}

export function RouteError({ error }: ErrorComponentProps) {
  const router = useRouter();
  return (
    <Stack gap="sm">
      <ErrorAlert error={error} title="This page could not be shown" />
      <Group>
        <Button variant="light" onClick={() => router.invalidate()}>
          Try again
        </Button>
      </Group>
    </Stack>
  );
}

export function NotFound() {
  return (
    <EmptyState title="Page not found">
      <Link to="/">Back to the clusters</Link>
    </EmptyState>
  );
}
