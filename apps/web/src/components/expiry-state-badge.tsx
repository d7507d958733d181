/** An expiry: a badge in the state's colour ("in 364 days") and the day it expires beside it, both visible; the full notAfter on hover. */
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { ExpiryState } from '@kpki/shared';
import { formatDay, formatUtc } from '../lib/time.ts';
import { EXPIRY_COLORS, expiryLabel } from '../lib/expiry.ts';

interface Props {
  notAfter: string;
  /** the state as the server computed it with the cluster's thresholds */
  state: ExpiryState;
  testId?: string;
}

export function ExpiryStateBadge({ notAfter, state, testId = 'expiry' }: Props) {
  return (
    <Group gap={6} wrap="nowrap" component="span" style={{ display: 'inline-flex' }}>
      <Tooltip label={`notAfter ${formatUtc(notAfter)} (${state})`}>
        <Badge color={EXPIRY_COLORS[state]} variant="light" data-testid={testId} data-level={state} tabIndex={0} style={{ textTransform: 'none' }}>
          {expiryLabel(notAfter)}
        </Badge>
      </Tooltip>
      <Text span size="xs" style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={notAfter} data-testid={`${testId}-date`}>
          {formatDay(notAfter)}
        </time>
      </Text>
    </Group>
  );
}
