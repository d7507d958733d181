/**
 * Adopt an existing PKI (issue 14): upload the folder the tutorial's cfssl commands wrote (a
 * .tar.gz or .zip), read the report (each file, the catalog's certificate it is, its problems;
 * what was not recognised; whether it can be adopted and why not), adopt it, then verify the
 * fleet: nodes that already hold the same files read in sync, and nothing is written. Files that
 * hold the CA key follow the CA key rule (an admin re-enters the password), for the upload and
 * the adoption alike.
 */
import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Card, Code, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { expiryOf, thresholdsFor, type ClusterInput, type ImportAdopted, type ImportProblem, type ImportReport, type ImportView } from '@kpki/shared';
import { describeError, ErrorAlert } from '../../../components/error-alert.tsx';
import { ExpiryStateBadge } from '../../../components/expiry-state-badge.tsx';
import { JobProgress } from '../../../components/job-progress.tsx';
import { AnchorLink } from '../../../components/links.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useElevation } from '../../../components/use-elevation.tsx';
import { uploadImport, useImport, useImportActions } from '../api/imports.ts';

interface ImportPageProps {
  cluster: string;
  /** the import being read (its id), from the URL */
  importId?: string;
  /** the verification job started here, from the URL */
  jobId?: string;
  onImport: (id: string | undefined) => void;
  onJob: (id: string | undefined) => void;
  /** starts a verification of every node (POST .../verifications), answering its job */
  onVerify: () => Promise<{ jobId: string }>;
  /** the cluster's expiry thresholds (the defaults while unknown) */
  thresholds?: Pick<ClusterInput, 'expiryWarningDays' | 'expiryCriticalDays'>;
}

type Thresholds = NonNullable<ImportPageProps['thresholds']>;

const LAYOUTS: Record<ImportReport['layout'], string> = {
  tutorial: "the tutorial's layout (cfssl: ca.pem, <name>.pem, <name>-key.pem)",
  kubeadm: "a kubeadm pki folder (read-only: inventoried, not adopted)",
  kubeconfig: 'kubeconfigs (read-only: inventoried, not adopted)',
  unknown: 'nothing kpki recognises',
};

function Problems({ problems, testId }: { problems: ImportProblem[]; testId: string }) {
  if (problems.length === 0) return <Text size="sm" data-testid={testId} data-count={0}>matches the plan</Text>;
  return (
    <List size="sm" spacing={2} data-testid={testId} data-count={problems.length}>
      {problems.map((p, i) => (
        <List.Item key={i} data-code={p.code}>
          <Code>{p.code}</Code> {p.message}
        </List.Item>
      ))}
    </List>
  );
}

const yesNo = (value: boolean | null, yes: string, no: string, none: string) =>
  value === null ? <Text size="sm" c="dimmed">{none}</Text> : <Badge variant="light" color={value ? 'green' : 'red'} style={{ textTransform: 'none' }}>{value ? yes : no}</Badge>;

/** The checks of one file, certificate or kubeconfig, as the three last cells of its row: its key, its chain and its problems. */
function FileChecks({ keyMatches, chain, problems, testId }: { keyMatches: boolean | null; chain: { ok: boolean | null; message: string }; problems: ImportProblem[]; testId: string }) {
  return (
    <>
      <Table.Td>{yesNo(keyMatches, 'matches', 'another key', '—')}</Table.Td>
      <Table.Td title={chain.message}>{yesNo(chain.ok, 'verifies', 'does not verify', '—')}</Table.Td>
      <Table.Td><Problems problems={problems} testId={testId} /></Table.Td>
    </>
  );
}

/** A card of the report with its heading. */
function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">{title}</Title>
      {children}
    </Card>
  );
}

function FilesTable({ report, thresholds }: { report: ImportReport; thresholds: Thresholds }) {
  const now = new Date();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table data-testid="import-files" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>certificate</Table.Th><Table.Th>files</Table.Th><Table.Th>subject</Table.Th><Table.Th>expires</Table.Th>
            <Table.Th>key</Table.Th><Table.Th>chain</Table.Th><Table.Th>differences and problems</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.files.map((f) => {
            const { state } = expiryOf(f.notAfter, now, thresholdsFor(f.name, thresholds));
            return (
              <Table.Tr key={f.path} data-testid={`import-file-${f.name}`} data-path={f.path} data-adoptable={String(f.adoptable)} data-problems={f.problems.length}>
                <Table.Td>
                  <Text size="sm" fw={600}>{f.name}</Text>
                  <Text size="xs" c="dimmed">{f.role}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">{f.path}</Text>
                  <Text size="sm" ff="monospace" c={f.keyPath ? undefined : 'dimmed'}>{f.keyPath ?? 'no key file'}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">CN {f.cn}</Text>
                  {f.o && <Text size="sm">O {f.o}</Text>}
                </Table.Td>
                <Table.Td><ExpiryStateBadge notAfter={f.notAfter} state={state} testId={`import-expiry-${f.name}`} /></Table.Td>
                <FileChecks keyMatches={f.keyMatches} chain={f.chain} problems={f.problems} testId={`import-problems-${f.name}`} />
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ReportView({ view, thresholds }: { view: ImportView; thresholds: Thresholds }) {
  const { report } = view;
  return (
    <Stack gap="md">
      <Alert
        color={view.state !== 'pending' ? 'gray' : report.adoptable ? 'green' : 'orange'}
        title={view.state === 'pending' ? (report.adoptable ? 'This import can be adopted' : 'This import cannot be adopted') : `This import is ${view.state}`}
        data-testid="import-summary"
        data-adoptable={String(report.adoptable)}
        data-state={view.state}
      >
        <Stack gap={4}>
          <Text size="sm">Layout: {LAYOUTS[report.layout]}. {report.files.length} certificate file(s) recognised, {report.unrecognised.length} file(s) not recognised; checked {new Date(report.checkedAt).toUTCString()}.</Text>
          {report.notAdoptableReason && <Text size="sm" data-testid="import-not-adoptable">Why not: {report.notAdoptableReason}.</Text>}
          {report.hasCaKey && <Text size="sm" data-testid="import-ca-key">The import holds the CA key (ca-key.pem, matching ca.pem): adopting it asks an admin for the password.</Text>}
          {view.state === 'pending' && <Text size="sm">Nothing is stored until you adopt it; a pending import is discarded after {new Date(view.expiresAt).toUTCString()}.</Text>}
          {view.endReason && <Text size="sm">{view.endReason}</Text>}
        </Stack>
      </Alert>
      {report.problems.length > 0 && (
        <Section title="Problems of the import">
          <Problems problems={report.problems} testId="import-report-problems" />
        </Section>
      )}
      {report.files.length > 0 && (
        <Section title="Certificates">
          <FilesTable report={report} thresholds={thresholds} />
        </Section>
      )}
      {report.keyPairs.length > 0 && (
        <Section title="Key pairs">
          <List size="sm" data-testid="import-key-pairs">
            {report.keyPairs.map((k) => (
              <List.Item key={k.name}>
                <Text size="sm" span fw={600}>{k.name}</Text> <Text size="sm" span ff="monospace">{k.path} {k.publicPath ?? ''}</Text> {yesNo(k.keyMatches, 'match', 'do not match', 'not checked')}
                {k.problems.length > 0 && <Problems problems={k.problems} testId={`import-key-pair-${k.name}`} />}
              </List.Item>
            ))}
          </List>
        </Section>
      )}
      {report.kubeconfigs.length > 0 && (
        <Section title="Kubeconfigs">
          <Table data-testid="import-kubeconfigs">
            <Table.Thead><Table.Tr><Table.Th>file</Table.Th><Table.Th>identity</Table.Th><Table.Th>server</Table.Th><Table.Th>key</Table.Th><Table.Th>chain</Table.Th><Table.Th>problems</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {report.kubeconfigs.map((k) => (
                <Table.Tr key={k.path}>
                  <Table.Td><Text size="sm" ff="monospace">{k.path}</Text></Table.Td>
                  <Table.Td><Text size="sm">{k.cn ? `CN ${k.cn}${k.o ? `, O ${k.o}` : ''}` : '—'}</Text></Table.Td>
                  <Table.Td><Text size="sm" ff="monospace">{k.server || '—'}</Text></Table.Td>
                  <FileChecks keyMatches={k.keyMatches} chain={k.chain} problems={k.problems} testId={`import-kubeconfig-problems-${k.path}`} />
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}
      {report.unrecognised.length > 0 && (
        <Section title="Not recognised">
          <List size="sm" data-testid="import-unrecognised">
            {report.unrecognised.map((u) => (
              <List.Item key={u.path}><Text size="sm" span ff="monospace">{u.path}</Text>: {u.reason}</List.Item>
            ))}
          </List>
        </Section>
      )}
    </Stack>
  );
}

function Adopted({ adopted }: { adopted: ImportAdopted }) {
  return (
    <Alert color="green" title={`Adopted: ${adopted.adopted.length} certificate(s) are now the cluster's current versions`} data-testid="import-adopted" data-count={adopted.adopted.length}>
      <Stack gap={4}>
        <Text size="sm">{adopted.adopted.map((a) => a.name).join(', ') || 'none'}</Text>
        {adopted.skipped.length > 0 && (
          <>
            <Text size="sm" fw={600}>Left out (the change review shows them as new):</Text>
            <List size="sm" data-testid="import-skipped">
              {adopted.skipped.map((s) => <List.Item key={s.name}>{s.name} ({s.file}): {s.reason}</List.Item>)}
            </List>
          </>
        )}
      </Stack>
    </Alert>
  );
}

function UploadCard({ cluster, onImport }: { cluster: string; onImport: (id: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const elevation = useElevation();
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const view = await elevation.caKeyAction('Uploading files that hold the CA key', false, () => uploadImport(cluster, file));
      if (view) onImport(view.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">Upload an archive</Title>
      <Stack gap="sm">
        <Text size="sm">
          The folder the tutorial's cfssl commands wrote, as <Code>tar czf pki.tar.gz pki</Code> or a .zip. kpki reads it and reports
          what each file is before anything is stored. Archives with links, devices, paths leaving the folder or over the size limit are refused.
        </Text>
        <Group align="end" gap="sm">
          <Stack gap={4}>
            <Text component="label" htmlFor="import-archive" size="sm" fw={500}>Archive (.tar.gz, .tgz or .zip)</Text>
            <input id="import-archive" type="file" accept=".tar.gz,.tgz,.gz,.zip,application/gzip,application/zip" data-testid="import-archive"
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          </Stack>
          <Button onClick={() => void upload()} disabled={!file} loading={busy} data-testid="import-upload">Read the archive</Button>
        </Group>
        {error !== null && <ErrorAlert error={error} title="The archive was refused" />}
      </Stack>
      {elevation.dialog}
    </Card>
  );
}

function Actions({ cluster, view, onVerify, onVerifyJob }: { cluster: string; view: ImportView; onVerify: ImportPageProps['onVerify']; onVerifyJob: (id: string) => void }) {
  const { adopt, discard } = useImportActions(cluster);
  const elevation = useElevation();
  const [adopted, setAdopted] = useState<ImportAdopted | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);
  const doAdopt = async () => {
    setError(null);
    try {
      const done = await elevation.caKeyAction('Adopting an import that holds the CA key', view.hasCaKey || view.report.hasCaKey, () => adopt.mutateAsync(view.id));
      if (done) setAdopted(done);
    } catch (e) {
      setError(e);
    }
  };
  const doDiscard = async () => {
    setError(null);
    try {
      await discard.mutateAsync(view.id);
    } catch (e) {
      setError(e);
    }
  };
  const doVerify = async () => {
    setError(null);
    setVerifying(true);
    try {
      onVerifyJob((await onVerify()).jobId);
    } catch (e) {
      setError(e);
    } finally {
      setVerifying(false);
    }
  };
  const pending = view.state === 'pending';
  return (
    <Stack gap="sm">
      {pending && (
        <Group gap="sm">
          <Button onClick={() => void doAdopt()} disabled={!view.report.adoptable} loading={adopt.isPending} data-testid="import-adopt">
            {view.report.hasCaKey ? 'Adopt (with the CA key)' : 'Adopt'}
          </Button>
          <Button variant="default" color="red" onClick={() => void doDiscard()} loading={discard.isPending} data-testid="import-discard">Discard</Button>
        </Group>
      )}
      {adopted && <Adopted adopted={adopted} />}
      {view.state === 'adopted' && (
        <Group gap="sm">
          <Button onClick={() => void doVerify()} loading={verifying} data-testid="import-verify">Verify the fleet</Button>
          <Text size="sm">Looks at every node and writes nothing: nodes that already hold these files read in sync.</Text>
        </Group>
      )}
      {error !== null && <ErrorAlert error={error} title={describeError(error).code === 'IMPORT_NOT_ADOPTABLE' ? 'Not adoptable' : 'That did not work'} />}
      {elevation.dialog}
    </Stack>
  );
}

export function ImportPage({ cluster, importId, jobId, onImport, onJob, onVerify, thresholds = {} }: ImportPageProps) {
  const { canOperate } = usePermissions();
  const query = useImport(cluster, importId);
  return (
    <>
      <PageHeader
        title="Adopt an existing PKI"
        description="Bring certificates made by hand (the tutorial's cfssl commands) under kpki without reissuing anything: read what each file is and what differs from the plan, adopt, then verify the nodes."
      />
      <Stack gap="md">
        {canOperate ? <UploadCard cluster={cluster} onImport={onImport} /> : <ReadOnlyNote what="upload or adopt an import" />}
        {importId && (
          <QueryState query={query} label="the import">
            {(view) => (
              <Stack gap="md" data-testid="import-view" data-import-id={view.id}>
                <ReportView view={view} thresholds={thresholds} />
                {canOperate && <Actions cluster={cluster} view={view} onVerify={onVerify} onVerifyJob={onJob} />}
              </Stack>
            )}
          </QueryState>
        )}
        {jobId && (
          <Card withBorder data-testid="running-job">
            <JobProgress jobId={jobId} />
            <AnchorLink to="/clusters/$cluster/nodes" params={{ cluster }} search={{}} size="sm" mt="xs">See the nodes</AnchorLink>
          </Card>
        )}
      </Stack>
    </>
  );
}
