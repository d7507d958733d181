/**
 * "Import from ~/.ssh/config" (issue 16): the operator pastes (or uploads) the ssh_config and
 * known_hosts they already have; the preview says per node what the import would set, which host
 * key it would pin and what is wrong; nothing is stored until "Apply".
 */
import { useState, type ChangeEvent } from 'react';
import { Alert, Badge, Button, Code, Group, List, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SshImportAnswer, SshImportRow, SshSettings } from '@kpki/shared';
import { ErrorAlert } from '../../../../components/error-alert.tsx';
import { isCancelled, useElevation } from '../../../../components/use-elevation.tsx';
import { useSshImport } from '../../api/ssh-setup.ts';

const target = (s: SshSettings | null) => (s?.host ? `${s.user ? `${s.user}@` : ''}${s.host}${s.port ? `:${s.port}` : ''}` : '—');

function TextField({ label, value, onChange, testId, placeholder }: { label: string; value: string; onChange: (v: string) => void; testId: string; placeholder: string }) {
  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    if (file) onChange(await file.text());
  };
  return (
    <Stack gap={4}>
      <Textarea label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)} rows={6} ff="monospace" placeholder={placeholder} data-testid={testId} />
      <input type="file" aria-label={`Upload ${label}`} onChange={upload} data-testid={`${testId}-file`} />
    </Stack>
  );
}

function Row({ r }: { r: SshImportRow }) {
  return (
    <Table.Tr data-testid={`import-row-${r.node}`}>
      <Table.Td>{r.node}</Table.Td>
      <Table.Td ff="monospace">{target(r.proposed)}</Table.Td>
      <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>{r.pinned ? r.pinned.fingerprint : '—'}</Table.Td>
      <Table.Td>
        {r.changes.length ? <Badge variant="light">{r.applied ? 'set: ' : 'sets '}{r.changes.join(', ')}</Badge> : <Text size="xs" c="dimmed">no change</Text>}
      </Table.Td>
      <Table.Td>
        {r.problems.map((p) => (
          <Text key={p.code} size="xs" c="red" data-testid="import-problem">{p.message}</Text>
        ))}
        {r.notes.map((n) => (
          <Text key={n} size="xs" c="dimmed">{n}</Text>
        ))}
      </Table.Td>
    </Table.Tr>
  );
}

export function ImportPreview({ answer }: { answer: SshImportAnswer }) {
  return (
    <Stack gap="xs" data-testid="import-preview">
      <Text size="sm" data-testid="import-counts">
        {answer.counts.nodes} nodes: {answer.counts.changed} {answer.applied ? 'changed' : 'would change'}, {answer.counts.pinned} with a host key from known_hosts, {answer.counts.problems} with problems
      </Text>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Node</Table.Th>
            <Table.Th>SSH target</Table.Th>
            <Table.Th>Host key pinned</Table.Th>
            <Table.Th>Change</Table.Th>
            <Table.Th>Problems and notes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{answer.nodes.map((r) => <Row key={r.node} r={r} />)}</Table.Tbody>
      </Table>
      {answer.unusedHosts.length > 0 && (
        <Text size="sm" data-testid="unused-hosts">
          Host entries that name no node (not used): {answer.unusedHosts.map((h) => `${h.patterns.join(' ')} (line ${h.line})`).join(', ')}
        </Text>
      )}
      {answer.notes.length > 0 && (
        <List size="xs">
          {answer.notes.map((n, i) => (
            <List.Item key={i}>{n.line ? `${n.source === 'sshConfig' ? 'ssh_config' : 'known_hosts'} line ${n.line}: ` : ''}{n.message}</List.Item>
          ))}
        </List>
      )}
      {answer.caKeyChanges.length > 0 && !answer.applied && (
        <Alert color="orange" title="The CA key rule" data-testid="import-ca-key">
          Applying changes where the CA key goes ({answer.caKeyChanges.join('; ')}): an admin re-enters the password.
        </Alert>
      )}
    </Stack>
  );
}

export function SshImportDialog({ cluster, opened, onClose }: { cluster: string; opened: boolean; onClose: () => void }) {
  const [sshConfig, setSshConfig] = useState('');
  const [knownHosts, setKnownHosts] = useState('');
  const preview = useSshImport(cluster);
  const apply = useSshImport(cluster);
  const elevation = useElevation();
  const body = () => ({ ...(sshConfig.trim() ? { sshConfig } : {}), ...(knownHosts.trim() ? { knownHosts } : {}) });
  const answer = apply.data ?? preview.data;

  const doApply = async () => {
    try {
      const done = await elevation.retry(() => apply.mutateAsync({ ...body(), apply: true }), 'Applying SSH settings to a node that receives ca-key.pem');
      notifications.show({ color: 'green', title: 'SSH settings imported', message: `${done.nodes.filter((n) => n.applied).length} node(s) changed` });
    } catch (error) {
      if (isCancelled(error)) apply.reset();
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Import from ~/.ssh/config" size="80rem">
      <Stack gap="sm" data-testid="ssh-import-dialog">
        <Text size="sm">
          Paste (or upload) your <Code>~/.ssh/config</Code> and <Code>~/.ssh/known_hosts</Code> (or <Code>ssh-keyscan -p PORT HOST</Code> output). Each node is
          looked up by its name as <Code>ssh NODE</Code> would; a host key is pinned only when known_hosts holds the key the node presents. Nothing is stored
          until you apply.
        </Text>
        <Group grow align="flex-start">
          <TextField label="ssh_config" value={sshConfig} onChange={setSshConfig} testId="import-ssh-config" placeholder={'Host worker1\n  HostName 192.0.2.11\n  User kube'} />
          <TextField label="known_hosts" value={knownHosts} onChange={setKnownHosts} testId="import-known-hosts" placeholder="[192.0.2.11]:22 ssh-ed25519 AAAA..." />
        </Group>
        <Group>
          <Button variant="light" onClick={() => (apply.reset(), preview.mutate(body()))} loading={preview.isPending} disabled={!sshConfig.trim() && !knownHosts.trim()} data-testid="import-preview-button">
            Preview
          </Button>
          <Button onClick={doApply} loading={apply.isPending} disabled={!preview.data || preview.data.counts.changed === 0 || !!apply.data} data-testid="import-apply">
            Apply
          </Button>
        </Group>
        {preview.error && <ErrorAlert error={preview.error} title="The texts cannot be read" />}
        {apply.error && !isCancelled(apply.error) && <ErrorAlert error={apply.error} title="Nothing was stored" />}
        {answer && <ImportPreview answer={answer} />}
      </Stack>
      {elevation.dialog}
    </Modal>
  );
}
