/**
 * The dialog of an act that cannot be taken back lightly (delete, purge a cluster): the cluster's
 * name typed, then the password re-entered (the CA key rule); `onConfirmed` runs once both are done.
 */
import { useState, type ReactNode } from 'react';
import { TextInput } from '@mantine/core';
import { PasswordDialog } from '../../../components/password-dialog.tsx';

export function ConfirmByNameDialog({ cluster, opened, title, explanation, confirmLabel, onClose, onConfirmed }: {
  cluster: string;
  opened: boolean;
  title: string;
  explanation: ReactNode;
  confirmLabel: string;
  onClose: () => void;
  onConfirmed: () => void;
}) {
  const [typed, setTyped] = useState('');
  const close = () => {
    setTyped('');
    onClose();
  };
  return (
    <PasswordDialog
      opened={opened}
      title={title}
      explanation={explanation}
      confirmLabel={confirmLabel}
      color="red"
      ready={typed === cluster}
      onClose={close}
      onConfirmed={() => {
        setTyped('');
        onConfirmed();
      }}
    >
      <TextInput label={`Type ${cluster} to confirm`} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} data-testid="confirm-cluster-name" autoComplete="off" />
    </PasswordDialog>
  );
}
