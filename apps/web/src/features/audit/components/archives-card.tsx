/**
 * Audit retention and export: the archives (rows moved out of the log into a file, each record
 * chained to the one before, checked when listed) with their download, and "archive lines
 * older than ..." for admins. kpki archives lines older than KPKI_AUDIT_RETENTION_DAYS itself.
 */
import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { DateTime } from '../../../components/date-time.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { auditArchiveUrl, useArchiveAudit, useAuditArchives } from '../api/audit-archives.ts';

const DAY = 86_400_000;
const dateOnly = (t: number) => new Date(t).toISOString().slice(0, 10);

export function ArchivesCard() {
  const archives = useAuditArchives();
  const archive = useArchiveAudit();
  const [date, setDate] = useState(dateOnly(Date.now() - 90 * DAY));
  const valid = /^\d{4}-\d\d-\d\d$/.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`));
  return (
    <Card withBorder component="section" aria-label="Audit archives" data-testid="audit-archives">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4">Retention and export</Title>
          <Text size="sm" c="dimmed">
            Older lines move to a file on the server (JSON lines). The log keeps a record of each archive: which lines, the file's SHA-256,
            chained to the archive before, so nothing leaves unnoticed.
          </Text>
        </div>
        <Group align="flex-end" gap="sm">
          <TextInput label="Archive the lines written before (UTC date)" value={date} onChange={(e) => setDate(e.currentTarget.value)}
            error={valid ? undefined : 'YYYY-MM-DD'} w={280} data-testid="archive-before" />
          <Button variant="light" disabled={!valid} loading={archive.isPending} data-testid="archive-audit"
            onClick={() => archive.mutate(`${date}T00:00:00Z`, { onSuccess: (a) => notifications.show({ color: 'green', title: 'Audit lines archived', message: `${a.rows} lines to ${a.file}` }) })}>
            Archive
          </Button>
        </Group>
        {archive.error && <ErrorAlert error={archive.error} title="Nothing archived" />}
        {archives.data && archives.data.length > 0 && (
          <Table verticalSpacing={4} data-testid="audit-archives-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Lines</Table.Th>
                <Table.Th>Written</Table.Th>
                <Table.Th>Archived</Table.Th>
                <Table.Th>File</Table.Th>
                <Table.Th>Check</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {archives.data.map((a) => (
                <Table.Tr key={a.id} data-testid={`audit-archive-${a.id}`}>
                  <Table.Td>
                    {a.firstId}–{a.lastId} ({a.rows})
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={a.firstAt} size="xs" relative={false} /> – <DateTime value={a.lastAt} size="xs" relative={false} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={a.createdAt} size="xs" /> <Text span size="xs">by {a.createdBy}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={auditArchiveUrl(a.id)} download={a.file} size="xs" ff="monospace" title={`SHA-256 ${a.sha256}`}>
                      {a.file}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={a.intact ? 'green' : 'red'} variant="light" data-testid="archive-intact">
                      {a.intact ? 'intact' : 'file changed or missing'}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
