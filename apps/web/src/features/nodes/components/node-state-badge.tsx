import { Badge, Tooltip } from '@mantine/core';
import type { FileState, NodeState } from '@kpki/shared';
import { STATE_COLORS, STATE_HELP } from './node-state.ts';

/** The state word as the API names it (in-sync, missing, stale, foreign, mode, unreachable, not-configured, not-checked, nothing-to-hold), its meaning on hover and focus. */
export function StateBadge({ state, testId = 'node-state' }: { state: NodeState | FileState; testId?: string }) {
  return (
    <Tooltip label={STATE_HELP[state] ?? state} multiline w={260}>
      <Badge color={STATE_COLORS[state] ?? 'gray'} variant="light" data-testid={testId} data-state={state} tabIndex={0} style={{ textTransform: 'none' }}>
        {state}
      </Badge>
    </Tooltip>
  );
}
