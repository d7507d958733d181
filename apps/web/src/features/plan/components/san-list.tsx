/** SANs of a certificate, each with the reason it is there. */
import { Badge, Group, List, Text } from '@mantine/core';
import type { SanEntry } from '@kpki/shared';

export function SanList({ sans, compact = false }: { sans: SanEntry[]; compact?: boolean }) {
  if (sans.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        none
      </Text>
    );
  }
  return (
    <List size="sm" spacing={2} listStyleType="none" p={0} m={0}>
      {sans.map((san) => (
        <List.Item key={`${san.type}:${san.value}`} data-testid="san">
          <Group gap={6} wrap="nowrap" align="baseline">
            <Badge size="xs" variant="outline" color={san.type === 'ip' ? 'grape' : 'cyan'} miw={34}>
              {san.type.toUpperCase()}
            </Badge>
            <Text span ff="monospace" size="sm">
              {san.value}
            </Text>
            {!compact && (
              <Text span size="xs" c="dimmed">
                {san.reason}
              </Text>
            )}
          </Group>
        </List.Item>
      ))}
    </List>
  );
}
