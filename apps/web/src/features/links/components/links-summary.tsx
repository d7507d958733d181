/** The overview's line: how many links work with the files on the nodes, once every node was verified. */
import { Group, Text } from '@mantine/core';
import { AnchorLink } from '../../../components/links.tsx';
import { useLinks } from '../api/get-links.ts';
import { summaryText } from './links-model.ts';

export function LinksSummary({ cluster }: { cluster: string }) {
  const { data } = useLinks(cluster, 'deployed');
  if (!data) return null;
  const complete = !data.nodes || data.nodes.verified >= data.nodes.withFiles;
  return (
    <Group gap="xs" data-testid="overview-links" data-complete={complete} data-fails={data.summary.fails}>
      <Text size="sm" fw={600} c={!complete ? undefined : data.summary.fails ? 'red' : 'green'}>
        {summaryText(data)}
      </Text>
      <AnchorLink to="/clusters/$cluster/talks" params={{ cluster }} search={{}} size="sm">
        see every link
      </AnchorLink>
    </Group>
  );
}
