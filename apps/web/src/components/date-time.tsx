/** A date in UTC with its relative time, e.g. "2025-11-29 14:20:05 UTC (3 minutes ago)". */
import { Text, type TextProps } from '@mantine/core';
import { formatUtc, relativeTime } from '../lib/time.ts';

export function DateTime({ value, relative = true, ...props }: { value: string | null | undefined; relative?: boolean } & TextProps) {
  if (!value) {
    return (
      <Text span size="sm" {...props}>
        —
      </Text>
    );
  }
  const rel = relativeTime(value);
  return (
    <Text span size="sm" {...props}>
      <time dateTime={value} title={formatUtc(value)}>
        {formatUtc(value)}
      </time>
      {relative && rel && (
        <Text span c="dimmed" size="inherit">
          {' '}
          ({rel})
        </Text>
      )}
    </Text>
  );
}
