/** A link's verdict, green "works" or red "fails", with its reasons on hover and focus. */
import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import type { LinkEdge } from '@kpki/shared';
import { reasonLine } from './links-model.ts';

export function VerdictBadge({ edge }: { edge: Pick<LinkEdge, 'verdict' | 'reasons'> }) {
  const ok = edge.verdict === 'ok';
  const label = ok ? (
    'Works: both certificates verify, the address is named, usages and identity fit'
  ) : (
    <Stack gap={4}>
      {edge.reasons.map((r, i) => (
        <Text key={i} size="xs" ff="monospace" style={{ wordBreak: 'break-word' }}>
          {reasonLine(r)}
        </Text>
      ))}
    </Stack>
  );
  return (
    <Tooltip label={label} multiline w={420} withArrow events={{ hover: true, focus: true, touch: true }}>
      <Badge color={ok ? 'green' : 'red'} variant="light" tabIndex={0} data-testid="link-verdict" data-verdict={edge.verdict} style={{ textTransform: 'none' }}>
        {ok ? 'works' : 'fails'}
      </Badge>
    </Tooltip>
  );
}
