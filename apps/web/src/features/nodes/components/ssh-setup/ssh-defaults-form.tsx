/**
 * The cluster's SSH defaults (issue 16): the user, port and remote folder every node inherits
 * unless it sets its own. What a node uses is computed by the server when it is read
 * (NodeSummary.effectiveSsh); a default a control-plane node inherits falls under the CA key rule.
 */
import { useEffect, useState } from 'react';
import { Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SshDefaults } from '@kpki/shared';
import { ErrorAlert } from '../../../../components/error-alert.tsx';
import { usePermissions } from '../../../../components/permissions.tsx';
import { isCancelled, useElevation } from '../../../../components/use-elevation.tsx';
import { useVersionedCluster } from '../../../../api/cluster-version.ts';
import { usePutSshDefaults } from '../../api/ssh-setup.ts';

/** The form's values -> the defaults sent (empty fields: no default). */
export function toDefaults(v: { user: string; port: string | number; remoteDir: string }): SshDefaults {
  const out: SshDefaults = {};
  if (v.user.trim()) out.user = v.user.trim();
  if (String(v.port).trim() !== '') out.port = Number(v.port);
  if (v.remoteDir.trim()) out.remoteDir = v.remoteDir.trim();
  return out;
}

export function SshDefaultsForm({ cluster }: { cluster: string }) {
  const version = useVersionedCluster(cluster);
  const put = usePutSshDefaults(cluster);
  const elevation = useElevation();
  const { canOperate } = usePermissions();
  const current = version.data?.cluster.sshDefaults;
  const [user, setUser] = useState('');
  const [port, setPort] = useState<string | number>('');
  const [remoteDir, setRemoteDir] = useState('');
  useEffect(() => {
    setUser(current?.user ?? '');
    setPort(current?.port ?? '');
    setRemoteDir(current?.remoteDir ?? '');
  }, [current?.user, current?.port, current?.remoteDir]);

  const save = async () => {
    try {
      await elevation.retry(() => put.mutateAsync(toDefaults({ user, port, remoteDir })), 'Changing an SSH default that a control-plane node (it receives ca-key.pem) inherits');
      notifications.show({ color: 'green', title: 'SSH defaults saved', message: 'Every node that does not set its own user, port or folder uses them.' });
    } catch (error) {
      if (isCancelled(error)) put.reset();
    }
  };

  return (
    <Stack gap="xs" data-testid="ssh-defaults-form">
      <Text size="sm">
        Cluster SSH defaults: every node uses them unless it sets its own user, port or remote folder (empty: root, 22, the user&apos;s home).
      </Text>
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Default user" placeholder="root" value={user} onChange={(e) => setUser(e.currentTarget.value)} disabled={!canOperate} data-testid="ssh-default-user" />
        <NumberInput label="Default port" placeholder="22" min={1} max={65535} value={port} onChange={setPort} disabled={!canOperate} data-testid="ssh-default-port" w={120} />
        <TextInput label="Default remote folder" placeholder="~ (the user's home)" value={remoteDir} onChange={(e) => setRemoteDir(e.currentTarget.value)} disabled={!canOperate} data-testid="ssh-default-dir" />
        {canOperate && (
          <Button onClick={save} loading={put.isPending} data-testid="save-ssh-defaults">
            Save defaults
          </Button>
        )}
      </Group>
      {put.error && !isCancelled(put.error) && <ErrorAlert error={put.error} title="Could not save the SSH defaults" />}
      {elevation.dialog}
    </Stack>
  );
}
