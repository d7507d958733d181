/**
 * Many node names as one group: "997 kubelets", a button that opens a search, and at most
 * MAX_SHOWN_NAMES matching names at a time (never hundreds of names in one place).
 */
import { useState, type ReactNode } from 'react';
import { Group, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { countOf, searchNames } from './matrix-model.ts';

export function NameGroup({ names, noun, render, label }: {
  names: readonly string[];
  /** singular, e.g. "kubelet" */
  noun: string;
  render: (name: string) => ReactNode;
  /** what the button says (default "997 kubelets") */
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const { shown, total } = open ? searchNames(names, query) : { shown: [], total: names.length };
  const title = label ?? countOf(names.length, noun);
  return (
    <Stack gap={6} data-testid="name-group" data-total={names.length}>
      <UnstyledButton onClick={() => setOpen((o) => !o)} aria-expanded={open} fz="sm" fw={500} td="underline" data-testid="name-group-toggle">
        {open ? '▾' : '▸'} {title}
      </UnstyledButton>
      {open && (
        <>
          <TextInput
            size="xs"
            placeholder={`Search ${noun}s by name`}
            aria-label={`Search the ${title}`}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            data-testid="name-group-search"
            w={220}
          />
          {shown.length > 0 && (
            <Group gap={6} data-testid="name-group-names">
              {shown.map((n) => (
                <span key={n} data-testid="name-group-name" data-name={n}>
                  {render(n)}
                </span>
              ))}
            </Group>
          )}
          <Text size="xs" c="dimmed" data-testid="name-group-count" aria-live="polite">
            {total === 0 ? 'No name matches.' : shown.length < total ? `${shown.length} of ${total} shown: narrow the search` : `${total} shown`}
          </Text>
        </>
      )}
    </Stack>
  );
}
