/**
 * The download link of one kubeconfig, as the role allows it: the file embeds a private key
 * (operators), and admin.kubeconfig is a cluster-admin credential that follows the CA key's rule
 * (admins, password re-entered). Always a plain link: the content never enters the page.
 */
import type { ReactNode } from 'react';
import { Anchor, type ButtonProps } from '@mantine/core';
import type { KubeconfigSummary } from '@kpki/shared';
import { downloadUrls } from '../../../api/urls.ts';
import { CaKeyDownload } from '../../../components/ca-key-download.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { keyDownloadOffer } from '../../../lib/permissions.ts';

const ADMIN_CREDENTIAL = {
  title: 'Enter your password to download admin.kubeconfig',
  warning: 'is a cluster-admin credential (group system:masters): whoever has it can do anything in the cluster.',
  started: 'admin.kubeconfig download started',
};

interface KubeconfigDownloadProps {
  cluster: string;
  kubeconfig: Pick<KubeconfigSummary, 'name' | 'file' | 'caKeyRule' | 'sha256'>;
  children?: ReactNode;
  testId?: string;
  /** a Mantine Button instead of a link */
  button?: ButtonProps;
}

/** The link, or null when the role may not download it (or it is not issued yet). */
export function KubeconfigDownload({ cluster, kubeconfig: k, children, testId = `download-kubeconfig-${k.name}`, button }: KubeconfigDownloadProps) {
  const permissions = usePermissions();
  const how = keyDownloadOffer(permissions, k.caKeyRule);
  if (how === 'hidden' || k.sha256 === null) return null;
  const href = downloadUrls.kubeconfig(cluster, k.name);
  const label = children ?? k.file;
  if (how === 'reauth') {
    return (
      <CaKeyDownload href={href} filename={k.file} what={k.file} testId={testId} holds={ADMIN_CREDENTIAL} button={button} anchor={{ size: 'sm' }}>
        {label}
      </CaKeyDownload>
    );
  }
  return (
    <Anchor href={href} download={k.file} size="sm" data-testid={testId}>
      {label}
    </Anchor>
  );
}
