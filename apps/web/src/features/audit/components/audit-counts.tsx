/**
 * The counts that head the audit log: "1,204 lines: 1,200 ok, 3 denied, 1 failed", counted by the
 * server over the whole log for the search and filters (the result left aside); each count is a
 * button that filters to that result.
 */
import { Text } from '@mantine/core';
import type { AuditCounts as Counts } from '@kpki/shared';
import { CountsBar } from '../../../components/filtered-table.tsx';
import type { AuditFilter } from '../api/get-audit.ts';
import { AUDIT_OUTCOMES, OUTCOME_COLORS } from './audit-result.ts';

const NUMBER = new Intl.NumberFormat('en-US');
/** 1204 -> "1,204" */
export const formatCount = (n: number) => NUMBER.format(n);

interface AuditCountsProps {
  counts: Counts | undefined;
  /** the counts are of a filter other than the one shown (the next ones are being counted) */
  stale?: boolean;
  error?: boolean;
  filter: AuditFilter;
  onChange: (filter: AuditFilter) => void;
}

export function AuditCounts({ counts, stale, error, filter, onChange }: AuditCountsProps) {
  if (!counts) {
    return (
      <Text size="sm" c="dimmed" data-testid="audit-counts-pending">
        {error ? 'The lines could not be counted.' : 'Counting the lines…'}
      </Text>
    );
  }
  const narrowed = Object.entries(filter).some(([k, v]) => k !== 'result' && Boolean(v));
  return (
    <div style={{ opacity: stale ? 0.6 : 1 }} aria-busy={stale || undefined}>
      <CountsBar
        label={`${formatCount(counts.total)} ${counts.total === 1 ? 'line' : 'lines'}${narrowed ? ' matching' : ''}:`}
        total={counts.total}
        ariaLabel="Audit lines by result"
        counts={AUDIT_OUTCOMES.map((o) => ({ value: o, n: counts.byResult[o], text: `${formatCount(counts.byResult[o])} ${o}` }))}
        active={filter.result}
        colors={OUTCOME_COLORS}
        onPick={(value, active) => onChange({ ...filter, result: active ? undefined : (value as AuditFilter['result']) })}
        testId="audit"
      />
    </div>
  );
}
