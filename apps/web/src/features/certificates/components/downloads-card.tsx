/**
 * Downloads as plain links: the certificate, its key, the per-node bundles and the whole bundle.
 * The key is only ever a link: its content is never fetched into the page.
 */
import { Anchor, Group, Stack, Text } from '@mantine/core';
import { downloadUrls } from '../../../api/urls.ts';

export function DownloadsCard({ cluster, name, recipients, current }: { cluster: string; name: string; recipients: string[]; current: boolean }) {
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
        <Anchor href={downloadUrls.keyPem(cluster, name)} download={`${name}-key.pem`} data-testid="download-key">
          {name}-key.pem (private key)
        </Anchor>
        <Anchor href={downloadUrls.bundle(cluster)} download={`${cluster}-bundle.tar.gz`} data-testid="download-bundle-all">
          All files (tar.gz)
        </Anchor>
      </Group>
      {recipients.length > 0 && (
        <Group gap="md" wrap="wrap">
          <Text size="sm">Per-node bundles:</Text>
          {recipients.map((node) => (
            <Anchor
              key={node}
              href={downloadUrls.bundle(cluster, node)}
              download={`${cluster}-${node}.tar.gz`}
              data-testid={`download-bundle-${node}`}
            >
              {node}.tar.gz
            </Anchor>
          ))}
        </Group>
      )}
    </Stack>
  );
}
