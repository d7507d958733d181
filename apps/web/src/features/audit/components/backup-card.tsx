/** "Back up the database now" (POST /backups): the file written on the server and the note to keep the master key with it. */
import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { CopyField } from '../../../components/copy-field.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useCreateBackup } from '../api/create-backup.ts';

export function BackupCard() {
  const backup = useCreateBackup();
  return (
    <Card withBorder component="section" aria-label="Backup" data-testid="backup-card">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <div>
            <Title order={2} size="h4">Backup</Title>
            <Text size="sm" c="dimmed">
              A consistent copy of the database (SQLite online backup), written on the server while it runs.
            </Text>
          </div>
          <Button onClick={() => backup.mutate()} loading={backup.isPending} variant="light" data-testid="create-backup">
            Back up the database now
          </Button>
        </Group>
        {backup.error && <ErrorAlert error={backup.error} title="Backup failed" />}
        {backup.data && (
          <Alert color="green" title="Backup written" data-testid="backup-result">
            <Stack gap="xs">
              <CopyField value={backup.data.file} label="Copy the backup path" testId="backup-file" />
              <Text size="sm" fw={600} data-testid="backup-note">
                {backup.data.note}
              </Text>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
