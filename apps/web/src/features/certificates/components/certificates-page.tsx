/** Certificates page: the download of all files, the table with its counts, search and filters. */
import { bundleFileName } from '@kpki/shared';
import { Button } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { EmptyState, QueryState } from '../../../components/query-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { downloadUrls } from '../../../api/urls.ts';
import { CaKeyDownload } from '../../../components/ca-key-download.tsx';
import { RoleNote, usePermissions } from '../../../components/permissions.tsx';
import { keyDownloadOffer } from '../../../lib/permissions.ts';
import { useCertificateRows } from '../api/get-certificates.ts';
import { CertificatesTable } from './certificates-table.tsx';
import type { TableQuery } from '../../../lib/table-query.ts';

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

interface CertificatesPageProps {
  cluster: string;
  /** the table's search, filters (status, expiry), sort and page (the URL's) */
  query?: TableQuery;
  onQueryChange?: (query: TableQuery) => void;
}

export function CertificatesPage({ cluster, query, onQueryChange }: CertificatesPageProps) {
  // the brief list (what the table shows and searches): about half of the full one at 1,000 nodes
  const certificates = useCertificateRows(cluster);
  return (
    <>
      <PageHeader
        title="Certificates"
        description="Every certificate of the cluster, as issued. Open one for its fields, SANs, checks and downloads."
        actions={<DownloadAllButton cluster={cluster} />}
      />
      <QueryState
        query={certificates}
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
        {(items) => <CertificatesTable cluster={cluster} items={items} query={query} onQueryChange={onQueryChange} />}
      </QueryState>
    </>
  );
}
