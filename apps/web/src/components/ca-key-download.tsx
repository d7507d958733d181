/**
 * A download that contains the CA key (ca-key.pem, the whole-cluster bundle, a control-plane
 * node's bundle) or is worth as much (admin.kubeconfig, a cluster-admin credential), for admins.
 * It is still a plain <a href download> (the key never enters the page), but a click first asks
 * for the password (POST /session/reauth), then starts the download; a wrong password shows
 * beside the field. Within the 5-minute window the click downloads directly.
 */
import { useState, type MouseEvent, type ReactNode } from 'react';
import { Anchor, Button, type AnchorProps, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isElevated } from '../api/reauth.ts';
import { formatUtc } from '../lib/time.ts';
import { PasswordDialog } from './password-dialog.tsx';

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
  /** what the file holds, for the dialog (default: the cluster's CA key) */
  holds?: { title: string; warning: string; started: string };
}

const CA_KEY_TEXTS = {
  title: 'Enter your password to download the CA key',
  warning: "holds the cluster's CA key: whoever has it can sign credentials for any component, cluster-admin included.",
  started: 'CA key download started',
};

export function CaKeyDownload({ href, filename, what, children, testId, button, anchor, holds = CA_KEY_TEXTS }: CaKeyDownloadProps) {
  const [opened, setOpened] = useState(false);

  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (isElevated()) return; // the browser follows the link
    e.preventDefault();
    setOpened(true);
  };

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
      <PasswordDialog
        opened={opened}
        title={holds.title}
        explanation={
          <>
            {what} {holds.warning} kpki asks for your password again and records the download in the audit log.
          </>
        }
        confirmLabel={`Download ${filename}`}
        onClose={() => setOpened(false)}
        onConfirmed={(elevatedUntil) => {
          setOpened(false);
          startDownload(href, filename);
          notifications.show({
            color: 'orange',
            title: holds.started,
            message: `${filename}: CA key downloads need no password until ${formatUtc(elevatedUntil)}.`,
          });
        }}
      />
    </>
  );
}
