import { useEffect, type ReactNode } from 'react';
import { Group, Stack, Text, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';

/** The product name ends every page title: "kubernetes · Certificates · hard-way · kpki". */
export const PRODUCT = 'kpki';

/** Sets the browser tab's title from the most specific part to the product name. */
export function useDocumentTitle(parts: string[]) {
  const title = [...parts.filter(Boolean), PRODUCT].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}

interface PageHeaderProps {
  /** the page's one h1 */
  title: ReactNode;
  /** the page's title in the browser tab, most specific first (the cluster's name is added on cluster pages); default: `title` when it is text */
  documentTitle?: string[];
  description?: ReactNode;
  actions?: ReactNode;
}

/** The title of a page (its one h1, and the browser tab's title), an optional line under it and actions on the right (wrapping on narrow screens). */
export function PageHeader({ title, documentTitle, description, actions }: PageHeaderProps) {
  const { cluster } = useParams({ strict: false }) as { cluster?: string };
  const parts = documentTitle ?? (typeof title === 'string' ? [title] : []);
  useDocumentTitle(cluster && parts[parts.length - 1] !== cluster ? [...parts, cluster] : parts);
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="wrap" gap="sm">
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm" component="div">
            {description}
          </Text>
        )}
      </Stack>
      {actions && (
        <Group gap="xs" wrap="wrap">
          {actions}
        </Group>
      )}
    </Group>
  );
}
