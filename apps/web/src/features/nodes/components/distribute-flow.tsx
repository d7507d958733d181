/**
 * Starting a distribution, with the questions it needs. When files under the CA key rule would be
 * written (ca-key.pem, admin.kubeconfig: an admin distributing with the CA key, or an admin whose
 * password window is open), it asks first: "ca-key.pem and admin.kubeconfig go to cp1, cp2"; then
 * for the password (the CA key rule). An operator's distribution leaves them out and asks nothing.
 * Render `dialogs`.
 */
import { useState, type ReactNode } from 'react';
import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { underCaKeyRule } from '@kpki/shared';
import { isElevated } from '../../../api/reauth.ts';
import { usePlan } from '../../../api/get-plan.ts';
import { describeError } from '../../../components/error-alert.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { isCancelled, useElevation } from '../../../components/use-elevation.tsx';
import { useDistribute } from '../api/distribute-all.ts';

export const failNotice = (title: string, error: unknown) => {
  const { code, message } = describeError(error);
  notifications.show({ color: 'red', title, message: `${code}: ${message}` });
};

interface Pending {
  nodes?: string[];
  holders: string[];
  /** the files under the CA key rule that go to `holders` */
  files: string[];
  withCaKey: boolean;
}

export interface DistributeFlow {
  /** distributes to `nodes` (every node when omitted); `withCaKey` asks for the password so ca-key.pem (and admin.kubeconfig) go too */
  start: (nodes: string[] | undefined, withCaKey: boolean) => void;
  /** nodes among `nodes` (every node) that receive ca-key.pem when an admin distributes */
  caKeyHolders: (nodes?: string[]) => string[];
  pending: boolean;
  dialogs: ReactNode;
}

export function useDistributeFlow(cluster: string, onJob: (jobId: string) => void): DistributeFlow {
  const { canDownloadCaKey } = usePermissions();
  const plan = usePlan(cluster);
  const distribute = useDistribute(cluster);
  const elevation = useElevation();
  const [asking, setAsking] = useState<Pending | null>(null);

  const underRule = (nodes?: string[]) =>
    Object.entries(plan.data?.files ?? {})
      .filter(([node]) => !nodes || nodes.includes(node))
      .map(([node, files]) => [node, files.filter(underCaKeyRule).map((f) => f.file)] as const)
      .filter(([, files]) => files.length > 0);
  const caKeyHolders = (nodes?: string[]) => underRule(nodes).map(([node]) => node);

  const run = async (p: Pending) => {
    try {
      if (p.withCaKey) await elevation.ensure('A distribution that writes ca-key.pem');
      distribute.mutate(p.nodes, { onSuccess: ({ jobId }) => onJob(jobId), onError: (e) => failNotice('Could not start the distribution', e) });
    } catch (error) {
      if (!isCancelled(error)) failNotice('Could not start the distribution', error);
    }
  };

  const start = (nodes: string[] | undefined, withCaKey: boolean) => {
    const held = canDownloadCaKey ? underRule(nodes) : [];
    const holders = held.map(([node]) => node);
    const files = [...new Set(held.flatMap(([, f]) => f))];
    // the CA key goes when asked for, or when the admin's password window is open anyway
    const caKeyGoes = holders.length > 0 && (withCaKey || isElevated());
    const p = { nodes, holders, files, withCaKey: withCaKey && holders.length > 0 };
    if (caKeyGoes) setAsking(p);
    else void run(p);
  };

  const dialogs = (
    <>
      <Modal opened={asking !== null} onClose={() => setAsking(null)} title="Send the CA key?" centered size="lg">
        <Stack gap="sm" data-testid="distribute-dialog">
          <Text fw={600} data-testid="ca-key-recipients">
            {asking && `${asking.files.join(' and ')} ${asking.files.length === 1 ? 'goes' : 'go'} to ${asking.holders.join(', ')}.`}
          </Text>
          <List size="sm" spacing={4}>
            <List.Item>With the CA key, whoever is root on those nodes can sign any certificate this cluster trusts; admin.kubeconfig is a cluster-admin credential.</List.Item>
            <List.Item>The controller-manager needs it there to sign kubelet certificates, as in the tutorial.</List.Item>
            <List.Item>The audit log records every node it is sent to, with its address.</List.Item>
          </List>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={() => setAsking(null)}>
              Cancel
            </Button>
            <Button
              color="orange"
              data-testid="confirm-distribute"
              onClick={() => {
                const p = asking!;
                setAsking(null);
                void run(p);
              }}
            >
              Distribute with ca-key.pem
            </Button>
          </Group>
        </Stack>
      </Modal>
      {elevation.dialog}
    </>
  );
  return { start, caKeyHolders, pending: distribute.isPending, dialogs };
}
