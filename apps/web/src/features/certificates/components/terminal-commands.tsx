/** For people who live in a terminal: the openssl commands that check this file, and the component flags that use it, each copyable. */
import { Code, Group, Stack, Text } from '@mantine/core';
import { componentFlags, opensslCommands, type CertificateKind } from '@kpki/shared';
import { CopyButtonFor } from '../../../components/copy-field.tsx';

function Line({ text, label, testId }: { text: string; label: string; testId: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid={testId}>
      <Code block style={{ flex: '1 1 auto', minWidth: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {text}
      </Code>
      <CopyButtonFor value={text} label={label} />
    </Group>
  );
}

/** `kind`: the planned certificate's (the route computes it from the topology); no component flags without it */
export function TerminalCommands({ name, kind }: { name: string; kind: CertificateKind | null }) {
  return (
    <Stack gap="xs">
      <Text size="sm">In the folder that holds the files (a node's, or an unpacked bundle):</Text>
      {opensslCommands(name).map((c) => (
        <Line key={c} text={c} label={`Copy: ${c}`} testId="openssl-command" />
      ))}
      {kind && (
        <>
          <Text size="sm" mt="xs">
            Used by:
          </Text>
          {componentFlags(kind, name).map((f) => (
            <Stack key={`${f.component} ${f.flag}`} gap={2}>
              <Text size="xs" fw={600}>
                {f.component}
              </Text>
              <Line text={f.flag} label={`Copy the ${f.component} flag`} testId="component-flag" />
            </Stack>
          ))}
        </>
      )}
    </Stack>
  );
}
