/** An expiry as a badge: the state's colour, "in 364 days", notAfter in the tooltip. */
import { Badge, Tooltip } from '@mantine/core';
import type { ExpiryState } from '@kpki/shared';
import { formatUtc } from '../lib/time.ts';
import { EXPIRY_COLORS, expiryLabel } from '../lib/expiry.ts';

interface Props {
  notAfter: string;
  /** the state as the server computed it with the cluster's thresholds */
  state: ExpiryState;
  testId?: string;
}

export function ExpiryStateBadge({ notAfter, state, testId = 'expiry' }: Props) {
  return (
    <Tooltip label={`notAfter ${formatUtc(notAfter)} (${state})`}>
      <Badge color={EXPIRY_COLORS[state]} variant="light" data-testid={testId} data-level={state} tabIndex={0} style={{ textTransform: 'none' }}>
        {expiryLabel(notAfter)}
      </Badge>
    </Tooltip>
  );
}
