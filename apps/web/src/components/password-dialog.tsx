/**
 * The password re-entry dialog (POST /session/reauth) for everything that follows the CA key
 * rule: CA key downloads, SSH targets of control-plane nodes, roles, the deploy key, deleting a
 * cluster, a distribution that writes ca-key.pem. A wrong password shows beside the field.
 */
import { useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { ApiError } from '../api/client.ts';
import { useReauth } from '../api/reauth.ts';
import { ErrorAlert } from './error-alert.tsx';

export interface PasswordDialogProps {
  opened: boolean;
  title: string;
  /** why the password is asked for */
  explanation: ReactNode;
  confirmLabel: string;
  onClose: () => void;
  /** after the server accepted the password, with the end of the 5-minute window */
  onConfirmed: (elevatedUntil: string) => void;
  /** extra fields above the password (e.g. the cluster name typed to confirm) */
  children?: ReactNode;
  /** false keeps the confirm button disabled (e.g. until the name is typed) */
  ready?: boolean;
  color?: string;
}

export function PasswordDialog({ opened, title, explanation, confirmLabel, onClose, onConfirmed, children, ready = true, color = 'orange' }: PasswordDialogProps) {
  const [password, setPassword] = useState('');
  const reauth = useReauth();
  const input = useRef<HTMLInputElement>(null);
  const wrong = reauth.error instanceof ApiError && reauth.error.code === 'INVALID_CREDENTIALS';
  const close = () => {
    setPassword('');
    reauth.reset();
    onClose();
  };
  const submit = () =>
    reauth.mutate(password, {
      onSuccess: ({ elevatedUntil }) => {
        setPassword('');
        reauth.reset();
        onConfirmed(elevatedUntil);
      },
      onError: () => input.current?.focus(),
    });
  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <form
        data-testid="reauth-dialog"
        aria-label="Confirm with your password"
        onSubmit={(e) => {
          e.preventDefault();
          e.stopPropagation(); // React bubbles events through the portal: never submit a form the dialog sits in
          if (password && ready) submit();
        }}
      >
        <Stack gap="sm">
          <Alert color={color} variant="light">
            <Text size="sm">{explanation}</Text>
          </Alert>
          {children}
          <PasswordInput
            ref={input}
            label="Your password"
            autoComplete="current-password"
            data-autofocus
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={wrong ? 'Wrong password: try again.' : undefined}
            data-testid="reauth-password"
          />
          {reauth.error && !wrong && <ErrorAlert error={reauth.error} title="Could not confirm your password" />}
          <Text size="xs" c="dimmed">
            For 5 minutes afterwards, what follows the CA key rule needs no password in this browser.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color={color} loading={reauth.isPending} disabled={!password || !ready} data-testid="reauth-confirm">
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
