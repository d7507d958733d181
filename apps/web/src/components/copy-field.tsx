/** A value shown in monospace with a copy button (fingerprints, public keys). */
import { Button, Code, CopyButton, Group } from '@mantine/core';

export function CopyButtonFor({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Button size="compact-xs" variant="light" color={copied ? 'teal' : 'blue'} onClick={copy} aria-label={label} data-testid={testId}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      )}
    </CopyButton>
  );
}

export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid={testId}>
        {value}
      </Code>
      <CopyButtonFor value={value} label={label} testId={testId ? `${testId}-copy` : undefined} />
    </Group>
  );
}
