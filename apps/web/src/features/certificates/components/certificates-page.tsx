/** Certificates page: filters above the table. */
import { bundleFileName } from '@kpki/shared';
import { useState } from 'react';
import { Button, Group, SegmentedControl, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { EmptyState, QueryState } from '../../../components/query-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { downloadUrls } from '../../../api/urls.ts';
import { CaKeyDownload } from '../../../components/ca-key-download.tsx';
import { RoleNote, usePermissions } from '../../../components/permissions.tsx';
import { keyDownloadOffer } from '../../../lib/permissions.ts';
import { useCertificates } from '../api/get-certificates.ts';
import { CertificatesTable } from './certificates-table.tsx';

type StatusFilter = 'current' | 'superseded' | 'retired' | 'all';

/** The whole bundle holds ca-key.pem: admins download it after entering the password again; others get a note. */
function DownloadAllButton({ cluster }: { cluster: string }) {
  const permissions = usePermissions();
  const how = keyDownloadOffer(permissions, true);
  const href = downloadUrls.bundle(cluster);
  const filename = bundleFileName(cluster);
  if (how === 'hidden') return <RoleNote testId="ca-key-admins-only">The bundle of all files holds the CA key: the CA key is for admins.</RoleNote>;
  if (how === 'reauth') {
    return (
      <CaKeyDownload href={href} filename={filename} what="The bundle of all files (it includes ca-key.pem)" testId="download-bundle" button={{ variant: 'light' }}>
        Download all: {filename}
      </CaKeyDownload>
    );
  }
  return (
    <Button component="a" href={href} download={filename} variant="light" data-testid="download-bundle">
      Download all: {filename}
    </Button>
  );
}

export function CertificatesPage({ cluster }: { cluster: string }) {
  const query = useCertificates(cluster, 'all');
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState<StatusFilter>('current');
  return (
    <>
      <PageHeader
        title="Certificates"
        description="Every certificate of the cluster, as issued. Open one for its fields, SANs, checks and downloads."
        actions={<DownloadAllButton cluster={cluster} />}
      />
      <QueryState
        query={query}
        label="certificates"
        isEmpty={(items) => items.length === 0}
        empty={
          <EmptyState title="No certificates yet">
            Create the CA and issue from the{' '}
            <Link to="/clusters/$cluster" params={{ cluster }} search={{}}>
              overview
            </Link>
            .
          </EmptyState>
        }
      >
        {(items) => {
          const counts = Object.fromEntries((['current', 'superseded', 'retired'] as const).map((s) => [s, items.filter((c) => c.status === s).length]));
          const shown = status === 'all' ? items : items.filter((c) => c.status === status);
          return (
            <>
              <Group mb="sm" gap="sm" wrap="wrap">
                <TextInput
                  placeholder="Filter by name, CN, O, node…"
                  aria-label="Filter certificates"
                  value={filter}
                  onChange={(e) => setFilter(e.currentTarget.value)}
                  w={300}
                  data-testid="certificates-filter"
                />
                <SegmentedControl
                  aria-label="Status"
                  value={status}
                  onChange={(v) => setStatus(v as StatusFilter)}
                  data={[
                    { value: 'current', label: `Current (${counts.current})` },
                    { value: 'superseded', label: `Superseded (${counts.superseded})` },
                    ...(counts.retired ? [{ value: 'retired', label: `Retired (${counts.retired})` }] : []),
                    { value: 'all', label: `All (${items.length})` },
                  ]}
                  data-testid="certificates-status"
                />
              </Group>
              <CertificatesTable cluster={cluster} items={shown} filter={filter} />
            </>
          );
        }}
      </QueryState>
    </>
  );
}
