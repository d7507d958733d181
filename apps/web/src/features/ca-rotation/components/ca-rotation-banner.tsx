/**
 * Above every page of a cluster while a CA rotation is in progress: "CA rotation: prepared", how
 * many nodes are in step, a link to the rotation page. Reads the summary (GET
 * .../ca-rotation?view=summary) and imports nothing of the rotation page.
 */
import type { ReactNode } from 'react';
import { Alert, Text } from '@mantine/core';
import { phaseLabel, useCaRotationSummary } from '../api/ca-rotation-summary.ts';

export function CaRotationBanner({ cluster, link }: { cluster: string; link: (label: string) => ReactNode }) {
  const { data: s } = useCaRotationSummary(cluster);
  if (!s || s.phase === 'none') return null;
  return (
    <Alert color="blue" mb="md" data-testid="rotation-banner" data-phase={s.phase} title={phaseLabel(s.phase)}>
      <Text size="sm">
        {s.nodesInStep ?? 0} of {s.nodes ?? 0} nodes in step. {link('Open the CA rotation')}
      </Text>
    </Alert>
  );
}
