/**
 * The banner on every page of a cluster that has anything in warning or worse (an issued
 * certificate, the CA, or a version a node still holds), naming the soonest and linking to
 * the expiry page. It reads the summary (GET .../expiry?view=summary: a few hundred bytes), never
 * the full report, which only the expiry page loads.
 */
import { Alert, Group, Text } from '@mantine/core';
import type { ExpiryState, ExpirySummary } from '@kpki/shared';
import { AnchorLink } from '../../../components/links.tsx';
import { EXPIRY_COLORS, expiryLabel } from '../../../lib/expiry.ts';
import { useExpirySummary } from '../api/get-expiry.ts';

/** How many entries need attention, and the worst state among them (from the server's counts: summariseExpiry). */
export function attentionOf(summary: ExpirySummary): { count: number; worst: ExpiryState | null } {
  const { warning, critical, expired } = summary.attention;
  return { count: warning + critical + expired, worst: expired ? 'expired' : critical ? 'critical' : warning ? 'warning' : null };
}

export function ExpiryBanner({ cluster }: { cluster: string }) {
  const { data } = useExpirySummary(cluster);
  if (!data) return null;
  const { count, worst } = attentionOf(data);
  if (!worst || !data.soonest) return null;
  const s = data.soonest;
  return (
    <Alert color={EXPIRY_COLORS[worst]} mb="md" data-testid="expiry-banner" data-state={worst} title={`${count} certificate${count === 1 ? '' : 's'} ${worst === 'expired' ? 'expired or expiring' : 'expiring soon'}`}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm">
          Soonest: {s.name}
          {s.node ? ` (the version ${s.node} holds)` : ''} {expiryLabel(s.notAfter).replace(/^in /, 'expires in ')}.
        </Text>
        <AnchorLink to="/clusters/$cluster/expiry" params={{ cluster }} search={{}} size="sm" data-testid="expiry-banner-link">
          Review and renew
        </AnchorLink>
      </Group>
    </Alert>
  );
}

/** "Soonest expiry: kubernetes in 364 days" (the overview). */
export function SoonestExpiry({ cluster }: { cluster: string }) {
  const { data } = useExpirySummary(cluster);
  if (!data?.soonest) return null;
  const s = data.soonest;
  return (
    <Text size="sm" component="span" data-testid="soonest-expiry" data-state={s.state}>
      Soonest expiry:{' '}
      <AnchorLink to="/clusters/$cluster/expiry" params={{ cluster }} search={{}} c={EXPIRY_COLORS[s.state] === 'green' ? undefined : EXPIRY_COLORS[s.state]}>
        {s.name}
        {s.node ? ` on ${s.node}` : ''} {expiryLabel(s.notAfter)}
      </AnchorLink>
    </Text>
  );
}
