/**
 * A value shown in monospace with a copy button (fingerprints, public keys). The value takes the
 * room there is and wraps as a block; the button never shrinks (narrow windows included).
 */
import { Button, Code, CopyButton, Group } from '@mantine/core';

export function CopyButtonFor({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Button size="compact-xs" variant="light" color={copied ? 'teal' : 'blue'} onClick={copy} aria-label={label} data-testid={testId} style={{ flexShrink: 0 }}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      )}
    </CopyButton>
  );
}

export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: '1 1 auto', minWidth: 0 }} data-testid={testId}>
        {value}
      </Code>
      <CopyButtonFor value={value} label={label} testId={testId ? `${testId}-copy` : undefined} />
    </Group>
  );
}
