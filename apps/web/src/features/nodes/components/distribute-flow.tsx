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
import { underCaKeyRule, type PlannedFile } from '@kpki/shared';
import { useQueryClient } from '@tanstack/react-query';
import { isElevated } from '../../../api/reauth.ts';
import { planCaKeyFilesQueryOptions, usePlanCaKeyFiles } from '../../../api/get-plan.ts';
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
  pending: boolean;
  dialogs: ReactNode;
}

type CaKeyFiles = Record<string, PlannedFile[]>;

/** [node, files under the CA key rule] for each of `nodes` (every node) that receives any. */
const underRule = (files: CaKeyFiles, nodes?: string[]) =>
  Object.entries(files)
    .filter(([node]) => !nodes || nodes.includes(node))
    .map(([node, list]) => [node, list.filter(underCaKeyRule).map((f) => f.file)] as const)
    .filter(([, list]) => list.length > 0);

/**
 * The nodes among `nodes` (every node) that receive ca-key.pem (or admin.kubeconfig) when an
 * admin distributes, for pages that show them: reads the plan's ca-key-files view (a few hundred
 * bytes, not the 2 MB plan of 1,000 nodes). Empty until it is read.
 */
export function useCaKeyHolders(cluster: string): (nodes?: string[]) => string[] {
  const files = usePlanCaKeyFiles(cluster).data?.files;
  return (nodes) => (files ? underRule(files, nodes).map(([node]) => node) : []);
}

export function useDistributeFlow(cluster: string, onJob: (jobId: string) => void): DistributeFlow {
  const { canDownloadCaKey } = usePermissions();
  const queryClient = useQueryClient();
  const distribute = useDistribute(cluster);
  const elevation = useElevation();
  const [asking, setAsking] = useState<Pending | null>(null);
  const [reading, setReading] = useState(false);

  const run = async (p: Pending) => {
    try {
      if (p.withCaKey) await elevation.ensure('A distribution that writes ca-key.pem');
      distribute.mutate(p.nodes, { onSuccess: ({ jobId }) => onJob(jobId), onError: (e) => failNotice('Could not start the distribution', e) });
    } catch (error) {
      if (!isCancelled(error)) failNotice('Could not start the distribution', error);
    }
  };

  // which files under the CA key rule go where is read when a distribution starts (fresh, or read
  // again when older than the app's staleTime), not while the page merely shows the button
  const start = async (nodes: string[] | undefined, withCaKey: boolean) => {
    let held: ReturnType<typeof underRule> = [];
    if (canDownloadCaKey) {
      setReading(true);
      try {
        held = underRule((await queryClient.fetchQuery(planCaKeyFilesQueryOptions(cluster))).files, nodes);
      } catch (error) {
        failNotice('Could not start the distribution', error);
        return;
      } finally {
        setReading(false);
      }
    }
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
  return { start: (nodes, withCaKey) => void start(nodes, withCaKey), pending: distribute.isPending || reading, dialogs };
}
