/** The lines of a job's log, newest last; announced politely to screen readers. */
import { useEffect, useRef } from 'react';
import { Badge, Box, Group, ScrollArea, Text } from '@mantine/core';
import type { JobLogLine } from '@kpki/shared';
import { formatUtc } from '../lib/time.ts';

const LEVEL_COLORS = { info: 'gray', warn: 'orange', error: 'red' } as const;

/** Keeps the newest line in view while lines arrive (unless the reader scrolled up). */
function useFollowBottom(count: number) {
  const viewport = useRef<HTMLDivElement>(null);
  const stuck = useRef(true);
  useEffect(() => {
    const el = viewport.current;
    if (el && stuck.current) el.scrollTop = el.scrollHeight;
  }, [count]);
  const onScroll = () => {
    const el = viewport.current;
    if (el) stuck.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };
  return { viewport, onScroll };
}

export function JobLog({ lines, maxHeight = 320 }: { lines: JobLogLine[]; maxHeight?: number }) {
  const { viewport, onScroll } = useFollowBottom(lines.length);
  if (lines.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="job-log">
        No log lines yet.
      </Text>
    );
  }
  return (
    <ScrollArea.Autosize mah={maxHeight} type="auto" offsetScrollbars viewportRef={viewport} onScrollPositionChange={onScroll}>
      <Box component="ol" data-testid="job-log" aria-live="polite" aria-label="Job log" p={0} m={0} style={{ listStyle: 'none' }}>
        {lines.map((line, i) => (
          <Box component="li" key={i} data-testid="job-log-line" data-node={line.node} py={2}>
            <Group gap="xs" wrap="nowrap" align="baseline">
              <Text span ff="monospace" size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatUtc(line.at).slice(11, 19)}
              </Text>
              {line.level !== 'info' && (
                <Badge size="xs" color={LEVEL_COLORS[line.level]} variant="light">
                  {line.level}
                </Badge>
              )}
              {line.node && (
                <Badge size="xs" variant="outline">
                  {line.node}
                </Badge>
              )}
              <Text span ff="monospace" size="xs" style={{ wordBreak: 'break-word' }}>
                {line.message}
              </Text>
            </Group>
          </Box>
        ))}
      </Box>
    </ScrollArea.Autosize>
  );
}
