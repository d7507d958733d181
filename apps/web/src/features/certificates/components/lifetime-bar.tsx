/** How much of the validity period has passed, with both ends in UTC. */
import { Group, Progress, Stack, Text } from '@mantine/core';
import { DateTime } from '../../../components/date-time.tsx';
import type { ExpiryThresholds } from '@kpki/shared';
import { expiryView } from '../../../lib/expiry.ts';
import { lifetimeUsed } from './expiry.ts';

export function LifetimeBar({ notBefore, notAfter, thresholds }: { notBefore: string; notAfter: string; thresholds?: ExpiryThresholds }) {
  const used = lifetimeUsed(notBefore, notAfter);
  const expiry = expiryView(notAfter, thresholds);
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
