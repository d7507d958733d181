/**
 * Downloads as plain links: the certificate, its key, the per-node bundles and the whole bundle.
 * Keys are only ever links: their content is never fetched into the page. What is offered follows
 * the role: viewers get certificates only; the CA key (ca-key.pem, the whole bundle, control-plane
 * bundles) is for admins, behind a password re-entry.
 */
import { bundleFileName } from '@kpki/shared';
import type { ReactNode } from 'react';
import { Anchor, Group, Stack, Text } from '@mantine/core';
import { downloadUrls } from '../../../api/urls.ts';
import { CaKeyDownload } from '../../../components/ca-key-download.tsx';
import { RoleNote, usePermissions } from '../../../components/permissions.tsx';
import { keyDownloadOffer, type Permissions } from '../../../lib/permissions.ts';

interface DownloadsCardProps {
  cluster: string;
  name: string;
  recipients: string[];
  current: boolean;
  /** nodes whose bundle holds ca-key.pem (the control-plane nodes); null while unknown: every bundle counts as holding it */
  caKeyNodes: string[] | null;
}

interface Offer {
  href: string;
  filename: string;
  label: ReactNode;
  testId: string;
  hasCaKey: boolean;
  what: string;
}

function OfferLink({ offer, permissions }: { offer: Offer; permissions: Permissions }) {
  const how = keyDownloadOffer(permissions, offer.hasCaKey);
  if (how === 'hidden') return null;
  if (how === 'reauth') {
    return (
      <CaKeyDownload href={offer.href} filename={offer.filename} what={offer.what} testId={offer.testId}>
        {offer.label}
      </CaKeyDownload>
    );
  }
  return (
    <Anchor href={offer.href} download={offer.filename} data-testid={offer.testId}>
      {offer.label}
    </Anchor>
  );
}

export function DownloadsCard({ cluster, name, recipients, current, caKeyNodes }: DownloadsCardProps) {
  const permissions = usePermissions();
  const key: Offer = {
    href: downloadUrls.keyPem(cluster, name),
    filename: `${name}-key.pem`,
    label: `${name}-key.pem (private key)`,
    testId: 'download-key',
    hasCaKey: name === 'ca',
    what: `${name}-key.pem`,
  };
  const all: Offer = {
    href: downloadUrls.bundle(cluster),
    filename: bundleFileName(cluster),
    label: `All files: ${bundleFileName(cluster)}`,
    testId: 'download-bundle-all',
    hasCaKey: true,
    what: 'The bundle of all files (it includes ca-key.pem)',
  };
  const perNode: Offer[] = recipients.map((node) => ({
    href: downloadUrls.bundle(cluster, node),
    filename: bundleFileName(cluster, node),
    label: bundleFileName(cluster, node),
    testId: `download-bundle-${node}`,
    hasCaKey: caKeyNodes === null || caKeyNodes.includes(node),
    what: `The bundle of ${node} (a control-plane node: it includes ca-key.pem)`,
  }));
  const offered = (o: Offer) => keyDownloadOffer(permissions, o.hasCaKey) !== 'hidden';
  const caKeyHidden = [key, all, ...perNode].some((o) => o.hasCaKey && !offered(o));
  const nodesShown = perNode.filter(offered);

  return (
    <Stack gap="xs" data-testid="downloads">
      {!current && (
        <Text size="xs" c="orange">
          The links below serve the current version of {name}.
        </Text>
      )}
      <Group gap="md" wrap="wrap">
        <Anchor href={downloadUrls.certPem(cluster, name)} download={`${name}.pem`} data-testid="download-cert">
          {name}.pem (certificate)
        </Anchor>
        <OfferLink offer={key} permissions={permissions} />
        <OfferLink offer={all} permissions={permissions} />
      </Group>
      {nodesShown.length > 0 && (
        <Group gap="md" wrap="wrap">
          <Text size="sm">Per-node bundles:</Text>
          {nodesShown.map((offer) => (
            <OfferLink key={offer.testId} offer={offer} permissions={permissions} />
          ))}
        </Group>
      )}
      {!permissions.canDownloadKeys && (
        <RoleNote testId="keys-not-offered">Private keys and bundles are for operators and admins, the CA key for admins only: your role downloads certificates.</RoleNote>
      )}
      {permissions.canDownloadKeys && caKeyHidden && (
        <RoleNote testId="ca-key-admins-only">
          The CA key is for admins: ca-key.pem, the bundle of all files and the bundles of control-plane nodes are not offered to you.
        </RoleNote>
      )}
      {permissions.canDownloadCaKey && [key, all, ...perNode].some((o) => o.hasCaKey) && (
        <Text size="xs" c="dimmed">
          Links that hold the CA key ask for your password first.
        </Text>
      )}
    </Stack>
  );
}
