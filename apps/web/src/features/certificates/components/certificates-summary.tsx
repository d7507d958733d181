/** For the cluster's dashboard: the CA (fingerprint, expiry) and the certificate that expires first. */
import { Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import type { CertificateSummary } from '@kpki/shared';
import { CopyButtonFor } from '../../../components/copy-field.tsx';
import { AnchorLink } from '../../../components/links.tsx';
import { useCertificates } from '../api/get-certificates.ts';
import { ExpiryBadge } from './expiry-badge.tsx';

/** The current leaf certificate that expires first, null without any. */
export const nearestExpiry = (items: CertificateSummary[]): CertificateSummary | null =>
  items.filter((c) => c.status === 'current' && c.name !== 'ca').sort((a, b) => a.notAfter.localeCompare(b.notAfter))[0] ?? null;

export function CertificatesSummary({ cluster }: { cluster: string }) {
  const certs = useCertificates(cluster, 'current');
  const items = certs.data ?? [];
  const ca = items.find((c) => c.name === 'ca');
  const first = nearestExpiry(items);
  return (
    <>
      <Card withBorder component="section" aria-labelledby="dash-ca" data-testid="dashboard-ca">
        <Title order={2} size="h5" id="dash-ca" mb="xs">
          Certificate authority
        </Title>
        {ca ? (
          <Stack gap={6}>
            <Text size="sm">SHA-256 fingerprint</Text>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Code style={{ overflowWrap: 'anywhere', wordBreak: 'normal', whiteSpace: 'normal', minWidth: 0 }} data-testid="dashboard-ca-fingerprint">
                {ca.sha256}
              </Code>
              <CopyButtonFor value={ca.sha256} label="Copy the CA fingerprint" />
            </Group>
            <Group gap="xs" data-testid="dashboard-ca-expiry">
              <Text size="sm">Expires</Text>
              <ExpiryBadge notAfter={ca.notAfter} />
            </Group>
          </Stack>
        ) : (
          <Text size="sm">No CA yet: create it in the guided flow below.</Text>
        )}
      </Card>
      <Card withBorder component="section" aria-labelledby="dash-expiry" data-testid="dashboard-nearest-expiry">
        <Title order={2} size="h5" id="dash-expiry" mb="xs">
          Expires first
        </Title>
        {first ? (
          <Stack gap={6}>
            <AnchorLink to="/clusters/$cluster/certificates/$name" params={{ cluster, name: first.name }} search={{}} fw={600}>
              {first.name}.pem
            </AnchorLink>
            <ExpiryBadge notAfter={first.notAfter} />
            <Text size="sm">
              {items.filter((c) => c.name !== 'ca').length} leaf certificates and the CA: {items.length} in all.
            </Text>
          </Stack>
        ) : (
          <Text size="sm">Nothing issued yet.</Text>
        )}
      </Card>
    </>
  );
}
