/** Confirmation before re-issuing: says what changes for certificates and nodes. */
import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { DateTime } from '../../../components/date-time.tsx';

interface ReissueDialogProps {
  opened: boolean;
  onClose: () => void;
  onConfirm: () => void;
  loading: boolean;
  /** number of certificates in the current issuance, when known */
  currentCount: number | null;
  lastIssuedAt: string | null;
  /** nodes that hold files today */
  nodes: string[];
}

export function ReissueDialog({ opened, onClose, onConfirm, loading, currentCount, lastIssuedAt, nodes }: ReissueDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Re-issue all certificates?" centered size="lg">
      <Stack gap="sm" data-testid="reissue-dialog">
        <Text size="sm">A new issuance signs a fresh key and certificate for every entry of the plan. What changes:</Text>
        <List size="sm" spacing={4}>
          <List.Item>
            All {currentCount ?? ''} current certificates
            {lastIssuedAt && (
              <>
                {' '}
                (issued <DateTime value={lastIssuedAt} />)
              </>
            )}{' '}
            become <b>superseded</b>. They stay listed and downloadable, but are no longer current.
          </List.Item>
          <List.Item>
            {nodes.length > 0 ? (
              <>
                Nodes <b>{nodes.join(', ')}</b> become <b>stale</b> until you redistribute (Nodes, then "Distribute to all").
              </>
            ) : (
              'No node holds files yet.'
            )}
          </List.Item>
          <List.Item>The CA stays the same: ca.pem and ca-key.pem do not change.</List.Item>
          <List.Item data-testid="reissue-still-valid">
            Superseded certificates <b>remain valid until they expire</b>: a cluster's TLS has no revocation, so whoever holds an
            old certificate and its key can still use it until its notAfter.
          </List.Item>
        </List>
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="orange" onClick={onConfirm} loading={loading} data-testid="confirm-reissue">
            Re-issue certificates
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
