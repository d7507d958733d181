/** The details panel of one link: what connects to what, every reason in the component's words, what kpki cannot see. */
import { Badge, Code, Drawer, List, Stack, Text, Title } from '@mantine/core';
import type { LinkEdge } from '@kpki/shared';
import { edgeTitle } from './links-model.ts';

export function LinkDetails({ edge, onClose }: { edge: LinkEdge | null; onClose: () => void }) {
  return (
    <Drawer opened={edge !== null} onClose={onClose} position="right" size="lg" title="Link" closeButtonProps={{ 'aria-label': 'Close the link details' }}>
      {edge && (
        <Stack gap="sm" data-testid="link-details" data-verdict={edge.verdict}>
          <Text fw={600}>{edgeTitle(edge)}</Text>
          <Text size="sm">
            The client presents <Code>{edge.certificate}.pem</Code>.{' '}
            <Badge color={edge.verdict === 'ok' ? 'green' : 'red'} variant="light" style={{ textTransform: 'none' }}>
              {edge.verdict === 'ok' ? 'works' : 'fails'}
            </Badge>
          </Text>
          {edge.reasons.length > 0 && (
            <>
              <Title order={5}>Why it fails (first what the components meet first)</Title>
              <List spacing="sm" type="ordered">
                {edge.reasons.map((r, i) => (
                  <List.Item key={i} data-testid="link-reason" data-code={r.code}>
                    <Code block style={{ whiteSpace: 'pre-wrap' }}>{r.message}</Code>
                    <Text size="sm" mt={4}>
                      {r.side === 'client' ? 'Client side' : 'Server side'}: {r.node ?? "the operator's copy"}
                      {r.file ? ` · ${r.file}` : ''}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {r.detail}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </>
          )}
          {edge.needs.length > 0 && (
            <>
              <Title order={5}>Also needed (kpki cannot check it)</Title>
              <List spacing="xs">
                {edge.needs.map((n, i) => (
                  <List.Item key={i}>
                    <Text size="sm">{n}</Text>
                  </List.Item>
                ))}
              </List>
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
