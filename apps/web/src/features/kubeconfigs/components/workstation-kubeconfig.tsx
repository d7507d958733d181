/**
 * The operator's own admin.kubeconfig (server: the load balancer, context named after the
 * cluster entry), download only. A cluster-admin credential: admins, after the password again.
 */
import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { WORKSTATION_KUBECONFIG } from '@kpki/shared/kubeconfigs';
import { RoleNote, usePermissions } from '../../../components/permissions.tsx';
import { useKubeconfig } from '../api/get-kubeconfigs.ts';
import { KubeconfigDownload } from './kubeconfig-download.tsx';

export function WorkstationKubeconfigCard({ cluster }: { cluster: string }) {
  const { canDownloadCaKey } = usePermissions();
  const k = useKubeconfig(cluster, WORKSTATION_KUBECONFIG).data;
  if (!k) return null;
  return (
    <Card withBorder component="section" aria-label="kubectl on your workstation" data-testid="workstation-kubeconfig">
      <Stack gap="xs">
        <Title order={2} size="h4">kubectl on your workstation</Title>
        <Text size="sm">
          <code>admin.kubeconfig</code> reaches the API servers at <code>{k.server}</code> ({k.serverReason}), as user <code>{k.user}</code> in{' '}
          <code>{k.groups.join(', ')}</code>, context <code>{k.context}</code>. Save it as <code>~/.kube/config</code> or pass{' '}
          <code>--kubeconfig admin.kubeconfig</code>.
        </Text>
        <Group>
          {canDownloadCaKey ? (
            k.sha256 === null ? (
              <Text size="sm" c="dimmed">
                Issue the certificates first.
              </Text>
            ) : (
              <KubeconfigDownload cluster={cluster} kubeconfig={k} testId="download-workstation-kubeconfig" button={{ variant: 'light', color: 'orange' }}>
                Download admin.kubeconfig
              </KubeconfigDownload>
            )
          ) : (
            <RoleNote testId="workstation-kubeconfig-admins-only">admin.kubeconfig is a cluster-admin credential: admins download it.</RoleNote>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
