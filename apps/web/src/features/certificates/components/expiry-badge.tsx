import type { ExpiryState, ExpiryThresholds } from '@kpki/shared';
import { ExpiryStateBadge } from '../../../components/expiry-state-badge.tsx';
import { expiryView } from '../../../lib/expiry.ts';

/**
 * "in 364 days", coloured by the expiry state: the server's (`state`) when the answer carries
 * it, else computed with the cluster's thresholds (the same rule).
 */
export function ExpiryBadge({ notAfter, state, thresholds }: { notAfter: string; state?: ExpiryState; thresholds?: ExpiryThresholds }) {
  return <ExpiryStateBadge notAfter={notAfter} state={state ?? expiryView(notAfter, thresholds).state} />;
}
