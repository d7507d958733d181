/**
 * A download that contains the CA key (ca-key.pem, the whole-cluster bundle, a control-plane
 * node's bundle), for admins. It is still a plain <a href download> (the key never enters the
 * page), but a click first asks for the password (POST /session/reauth), then starts the download;
 * a wrong password shows beside the field. Within the 5-minute window the click downloads directly.
 */
import { useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { Alert, Anchor, Button, Group, Modal, PasswordInput, Stack, Text, type AnchorProps, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError } from '../api/client.ts';
import { isElevated, useReauth } from '../api/reauth.ts';
import { formatUtc } from '../lib/time.ts';
import { ErrorAlert } from './error-alert.tsx';

/** Starts a download as a click on a temporary <a download> would. */
export function startDownload(href: string, filename: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

interface CaKeyDownloadProps {
  href: string;
  filename: string;
  /** what holds the CA key, for the dialog: "ca-key.pem", "the bundle of cp1" */
  what: string;
  children: ReactNode;
  testId?: string;
  /** a Mantine Button (component="a") instead of an Anchor */
  button?: ButtonProps;
  anchor?: AnchorProps;
}

export function CaKeyDownload({ href, filename, what, children, testId, button, anchor }: CaKeyDownloadProps) {
  const [opened, setOpened] = useState(false);
  const [password, setPassword] = useState('');
  const reauth = useReauth();
  const input = useRef<HTMLInputElement>(null);
  const wrong = reauth.error instanceof ApiError && reauth.error.code === 'INVALID_CREDENTIALS';

  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (isElevated()) return; // the browser follows the link
    e.preventDefault();
    reauth.reset();
    setPassword('');
    setOpened(true);
  };

  const close = () => {
    setOpened(false);
    setPassword('');
  };

  const submit = () =>
    reauth.mutate(password, {
      onSuccess: ({ elevatedUntil }) => {
        close();
        startDownload(href, filename);
        notifications.show({
          color: 'orange',
          title: 'CA key download started',
          message: `${filename}: CA key downloads need no password until ${formatUtc(elevatedUntil)}.`,
        });
      },
      onError: () => input.current?.focus(),
    });

  const common = { href, download: filename, onClick, 'data-testid': testId, 'data-ca-key': 'true' };
  return (
    <>
      {button ? (
        <Button component="a" {...button} {...common}>
          {children}
        </Button>
      ) : (
        <Anchor {...anchor} {...common}>
          {children}
        </Anchor>
      )}
      <Modal opened={opened} onClose={close} title="Enter your password to download the CA key" centered>
        <form
          data-testid="reauth-dialog"
          aria-label="Confirm with your password"
          onSubmit={(e) => {
            e.preventDefault();
            if (password) submit();
          }}
        >
          <Stack gap="sm">
            <Alert color="orange" variant="light">
              <Text size="sm">
                {what} holds the cluster's CA key: whoever has it can sign credentials for any component, cluster-admin included.
                kpki asks for your password again and records the download in the audit log.
              </Text>
            </Alert>
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
              For 5 minutes afterwards, CA key downloads in this browser need no password.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color="orange" loading={reauth.isPending} disabled={!password} data-testid="reauth-confirm">
                Download {filename}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
