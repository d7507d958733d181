/** How much of the validity period has passed, with both ends in UTC. */
import { Group, Progress, Stack, Text } from '@mantine/core';
import { DateTime } from '../../../components/date-time.tsx';
import { expiryOf, lifetimeUsed } from './expiry.ts';

export function LifetimeBar({ notBefore, notAfter }: { notBefore: string; notAfter: string }) {
  const used = lifetimeUsed(notBefore, notAfter);
  const expiry = expiryOf(notAfter);
  return (
    <Stack gap={4} data-testid="lifetime">
      <Progress value={used} color={expiry.color} size="lg" aria-label={`${Math.round(used)}% of the lifetime used`} />
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="xs">
          notBefore <DateTime value={notBefore} size="xs" />
        </Text>
        <Text size="xs">
          notAfter <DateTime value={notAfter} size="xs" />
        </Text>
      </Group>
      <Text size="sm" c={expiry.color === 'green' ? undefined : expiry.color}>
        {Math.round(used)}% of the lifetime used; expires {expiry.label}.
      </Text>
    </Stack>
  );
}
