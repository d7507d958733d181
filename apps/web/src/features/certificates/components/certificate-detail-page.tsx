/** One certificate: every field, lifetime, SANs with reasons, chain, text, PEM, address check, downloads, holders. */
import type { ReactNode } from 'react';
import { Alert, Badge, Card, Code, Group, ScrollArea, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import type { CertificateDetail, CertificateKind, ExpiryThresholds } from '@kpki/shared';
import { CopyButtonFor } from '../../../components/copy-field.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useCertificate } from '../api/get-certificate.ts';
import { AddressCheckForm } from './address-check-form.tsx';
import { CertificateFields } from './certificate-fields.tsx';
import { DownloadsCard } from './downloads-card.tsx';
import { ExpiryBadge } from './expiry-badge.tsx';
import { LifetimeBar } from './lifetime-bar.tsx';
import { SanGroups } from './san-groups.tsx';
import { TerminalCommands } from './terminal-commands.tsx';
import { AnchorLink } from '../../../components/links.tsx';

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="md" data-testid={testId} component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function TextAndPem({ cert }: { cert: CertificateDetail }) {
  return (
    <Tabs defaultValue="text" keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="text">OpenSSL text</Tabs.Tab>
        <Tabs.Tab value="pem">PEM</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="text" pt="xs">
        <ScrollArea.Autosize mah={480} type="auto">
          <Code block data-testid="certificate-text">
            {cert.text}
          </Code>
        </ScrollArea.Autosize>
      </Tabs.Panel>
      <Tabs.Panel value="pem" pt="xs">
        <Group justify="flex-end" mb={4}>
          <CopyButtonFor value={cert.pem} label="Copy PEM" testId="copy-pem" />
        </Group>
        <Code block data-testid="certificate-pem">
          {cert.pem}
        </Code>
      </Tabs.Panel>
    </Tabs>
  );
}

function Holders({ cluster, cert }: { cluster: string; cert: CertificateDetail }) {
  if (cert.recipients.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No node receives {cert.name}.pem: it is downloaded by the operator.
      </Text>
    );
  }
  return (
    <Group gap="xs" data-testid="holders">
      {cert.recipients.map((node) => (
        <AnchorLink key={node} to="/clusters/$cluster/nodes/$node" params={{ cluster, node }} search={{}}>
          <Badge variant="light" style={{ cursor: 'pointer' }}>
            {node}
          </Badge>
        </AnchorLink>
      ))}
    </Group>
  );
}

interface CertificateDetailPageProps {
  cluster: string;
  name: string;
  serial?: string;
  /** the cluster's expiry thresholds (the route reads them from the cluster); the defaults while unknown */
  thresholds?: ExpiryThresholds;
  /** nodes whose bundle holds the CA key (control-plane nodes); the route reads them from the cluster */
  caKeyNodes: string[] | null;
  /** the planned certificate's kind (its component flags); null while unknown or when the plan has none */
  kind?: CertificateKind | null;
  /** the kubeconfigs that embed this certificate (composed by the route from the kubeconfigs feature) */
  kubeconfigs?: ReactNode;
}

export function CertificateDetailPage({ cluster, name, serial, caKeyNodes, kind = null, thresholds, kubeconfigs }: CertificateDetailPageProps) {
  const query = useCertificate(cluster, name, serial);
  return (
    <QueryState query={query} label={`certificate ${name}`}>
      {(cert) => (
        <>
          <PageHeader
            documentTitle={[cert.name, 'Certificates']}
            title={
              <Group gap="xs">
                <span>{cert.name}.pem</span>
                <Badge color={cert.status === 'current' ? 'green' : 'gray'} data-testid="certificate-status">
                  {cert.status}
                </Badge>
                <ExpiryBadge notAfter={cert.notAfter} thresholds={thresholds} />
              </Group>
            }
            description={
              <AnchorLink to="/clusters/$cluster/certificates" params={{ cluster }} size="sm">
                ← All certificates
              </AnchorLink>
            }
          />
          <Stack gap="md" data-testid="certificate-detail" data-name={cert.name}>
            <Alert color={cert.chain.ok ? 'green' : 'red'} title={cert.chain.ok ? 'Chain verifies' : 'Chain does not verify'} data-testid="chain-check" data-ok={String(cert.chain.ok)}>
              {cert.chain.message}
            </Alert>
            <Section title="Validity">
              <LifetimeBar notBefore={cert.notBefore} notAfter={cert.notAfter} thresholds={thresholds} />
            </Section>
            <Section title={`Subject Alternative Names (${cert.sansWithReasons.length})`}>
              <SanGroups sans={cert.sansWithReasons} />
            </Section>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Section title="Valid for this address?">
                <AddressCheckForm cluster={cluster} name={cert.name} />
              </Section>
              <Stack gap="md">
                <Section title="Downloads">
                  <DownloadsCard cluster={cluster} name={cert.name} recipients={cert.recipients} current={cert.status === 'current'} caKeyNodes={caKeyNodes} />
                </Section>
                <Section title="Held by">
                  <Holders cluster={cluster} cert={cert} />
                </Section>
              </Stack>
            </SimpleGrid>
            {kubeconfigs && (
              <Section title="Embedded in kubeconfigs" testId="embedded-in-kubeconfigs">
                {kubeconfigs}
              </Section>
            )}
            <Section title="In a terminal" testId="terminal-commands">
              <TerminalCommands name={cert.name} kind={kind} />
            </Section>
            <Section title="Fields">
              <CertificateFields cert={cert} />
            </Section>
            <Section title="Certificate">
              <TextAndPem cert={cert} />
            </Section>
          </Stack>
        </>
      )}
    </QueryState>
  );
}
