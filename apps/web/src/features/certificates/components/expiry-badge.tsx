import { Badge, Tooltip } from '@mantine/core';
import { formatUtc } from '../../../lib/time.ts';
import { expiryOf } from './expiry.ts';

/** "in 364 days" in green, orange under 30 days, red when expired. */
export function ExpiryBadge({ notAfter }: { notAfter: string }) {
  const e = expiryOf(notAfter);
  return (
    <Tooltip label={`notAfter ${formatUtc(notAfter)}`}>
      <Badge color={e.color} variant="light" data-testid="expiry" data-level={e.level} tabIndex={0} style={{ textTransform: 'none' }}>
        {e.label}
      </Badge>
    </Tooltip>
  );
}
