/** The parsed fields of a certificate: names, serial, key, extensions, fingerprints. In narrow windows each label sits above its value. */
import type { ReactNode } from 'react';
import { Badge, Group, Table, Text } from '@mantine/core';
import type { CertificateDetail, DnAttribute } from '@kpki/shared';
import { CopyField } from '../../../components/copy-field.tsx';
import { useNarrow } from '../../../components/use-narrow.ts';

const dn = (attrs: DnAttribute[]) => attrs.map((a) => `${a.type}=${a.value}`).join(', ');

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  const narrow = useNarrow();
  const block = narrow ? ({ display: 'block', width: '100%' } as const) : undefined;
  return (
    <Table.Tr data-testid={testId} style={narrow ? { display: 'block' } : undefined}>
      <Table.Th w={narrow ? undefined : 220} style={{ verticalAlign: 'top', ...block, ...(narrow ? { paddingBottom: 0 } : {}) }}>
        {label}
      </Table.Th>
      <Table.Td style={block}>{children}</Table.Td>
    </Table.Tr>
  );
}

function DnTable({ attrs }: { attrs: DnAttribute[] }) {
  return (
    <Group gap={6} title={dn(attrs)}>
      {attrs.map((a, i) => (
        <Badge key={i} variant="default" style={{ textTransform: 'none' }} size="md">
          <Text span size="xs" c="dimmed">
            {a.type}=
          </Text>
          <Text span size="xs" ff="monospace">
            {a.value}
          </Text>
        </Badge>
      ))}
    </Group>
  );
}

const critical = (isCritical: boolean) =>
  isCritical ? (
    <Badge size="xs" color="orange" variant="light" ml={6}>
      critical
    </Badge>
  ) : null;

export function CertificateFields({ cert }: { cert: CertificateDetail }) {
  const key = cert.publicKey;
  const narrow = useNarrow();
  return (
    <Table.ScrollContainer minWidth={narrow ? 0 : 520}>
      <Table verticalSpacing="xs" data-testid="certificate-fields">
        <Table.Tbody>
          <Row label="Subject" testId="field-subject">
            <DnTable attrs={cert.subject} />
          </Row>
          <Row label="Issuer" testId="field-issuer">
            <DnTable attrs={cert.issuer} />
          </Row>
          <Row label="Serial" testId="field-serial">
            <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
              {cert.serial}
            </Text>
          </Row>
          <Row label="Public key">
            {key.algorithm} {key.size} bits{key.curve ? ` (${key.curve})` : ''}
          </Row>
          <Row label="Signature algorithm">{cert.signatureAlgorithm}</Row>
          <Row label="Key usage" testId="field-key-usage">
            {cert.keyUsage ? (
              <>
                {cert.keyUsage.usages.join(', ')}
                {critical(cert.keyUsage.critical)}
              </>
            ) : (
              '—'
            )}
          </Row>
          <Row label="Extended key usage" testId="field-eku">
            {cert.extendedKeyUsage.length ? cert.extendedKeyUsage.join(', ') : '—'}
          </Row>
          <Row label="Basic constraints" testId="field-basic-constraints">
            {cert.basicConstraints ? (
              <>
                CA:{cert.basicConstraints.ca ? 'TRUE' : 'FALSE'}
                {cert.basicConstraints.pathLength !== undefined && `, pathlen:${cert.basicConstraints.pathLength}`}
                {critical(cert.basicConstraints.critical)}
              </>
            ) : (
              '—'
            )}
          </Row>
          <Row label="Subject key identifier">
            <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
              {cert.subjectKeyIdentifier ?? '—'}
            </Text>
          </Row>
          <Row label="Authority key identifier">
            <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
              {cert.authorityKeyIdentifier ?? '—'}
            </Text>
          </Row>
          <Row label="SHA-256 fingerprint">
            <CopyField value={cert.fingerprints.sha256} label="Copy SHA-256 fingerprint" testId="fingerprint-sha256" />
          </Row>
          <Row label="SHA-1 fingerprint">
            <CopyField value={cert.fingerprints.sha1} label="Copy SHA-1 fingerprint" testId="fingerprint-sha1" />
          </Row>
          <Row label="Issuance">
            <Text ff="monospace" size="sm">
              {cert.issuanceId}
            </Text>
          </Row>
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
