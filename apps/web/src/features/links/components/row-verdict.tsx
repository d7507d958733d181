/** A cell of the matrix: how many links of that kind work, green when all do, red otherwise. */
import { Badge, Tooltip } from '@mantine/core';

export function RowVerdict({ ok, fails }: { ok: number; fails: number }) {
  const total = ok + fails;
  if (total === 0) return null;
  const text = fails ? `${fails} of ${total} fail` : total === 1 ? 'works' : `all ${total} work`;
  return (
    <Tooltip label={fails ? `${fails} of the ${total} links of this kind fail: see the list below` : `all ${total} links of this kind work`}>
      <Badge color={fails ? 'red' : 'green'} variant="light" size="sm" tabIndex={0} data-testid="row-verdict" data-fails={fails} style={{ textTransform: 'none' }}>
        {text}
      </Badge>
    </Tooltip>
  );
}
