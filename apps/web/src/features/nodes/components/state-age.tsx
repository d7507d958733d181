import { Text } from '@mantine/core';
import type { NodeStatus } from '@kpki/shared';
import { formatUtc, relativeTime } from '../../../lib/time.ts';

/** "checked 3 hours ago", "never checked", "nothing to hold": the age of a state, as people read it. */
export function StateAge({ status, size = 'sm' }: { status: Pick<NodeStatus, 'state' | 'checkedAt' | 'checkDue'>; size?: 'xs' | 'sm' }) {
  if (status.state === 'nothing-to-hold') return <Text size={size} data-testid="state-age">nothing to hold</Text>;
  if (!status.checkedAt) return <Text size={size} data-testid="state-age">never checked</Text>;
  return (
    <Text size={size} data-testid="state-age" data-due={status.checkDue ? 'true' : undefined}>
      checked <time dateTime={status.checkedAt} title={formatUtc(status.checkedAt)}>{relativeTime(status.checkedAt)}</time>
      {status.checkDue && ' (old: verify to be sure)'}
    </Text>
  );
}
