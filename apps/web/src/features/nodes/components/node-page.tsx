/** One node: its files and their state, verify / redistribute, SSH settings, host key, the running job. */
import type { ReactNode } from 'react';
import { Alert, Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { briefStatus, bundleFileName, holdsCaKey, type NodeRow, type NodeStatus } from '@kpki/shared';
import { downloadUrls } from '../../../api/urls.ts';
import { relativeTime } from '../../../lib/time.ts';
import { DateTime } from '../../../components/date-time.tsx';
import { StateAge } from './state-age.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { JobButton } from '../../../components/job-button.tsx';
import { NodeJob } from './node-job.tsx';
import { failNotice, useCaKeyHolders, useDistributeFlow } from './distribute-flow.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { EmptyState, QueryState } from '../../../components/query-state.tsx';
import { useNodeStatus } from '../api/get-node-status.ts';
import { useNodes } from '../api/get-nodes.ts';
import { useVerifyNode } from '../api/verify-node.ts';
import { DeployKeyCard } from './deploy-key-card.tsx';
import { DistributeAllButton, DistributeWithCaKeyButton } from './distribution-actions.tsx';
import { HostKeySection } from './host-key-section.tsx';
import { NodeFilesTable } from './node-files-table.tsx';
import { StateBadge } from './node-state-badge.tsx';
import { fileCountLabel, withheldFiles } from './node-state.ts';
import { SshSettingsForm } from './ssh-settings-form.tsx';
import { AnchorLink } from '../../../components/links.tsx';
import { CaKeyDownload } from '../../../components/ca-key-download.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { usePlanCaKeyFiles } from '../../../api/get-plan.ts';
import { keyDownloadOffer } from '../../../lib/permissions.ts';

interface NodePageProps {
  cluster: string;
  node: string;
  jobId?: string;
  onJobChange: (jobId: string | undefined) => void;
  /** the links the node takes part in (composed by the route from the links feature) */
  links?: ReactNode;
  /** the node's kubeconfigs (composed by the route from the kubeconfigs feature) */
  kubeconfigs?: ReactNode;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function NodeActions({ cluster, node, onJobChange }: { cluster: string; node: NodeRow; onJobChange: (id: string) => void }) {
  const verify = useVerifyNode(cluster);
  const flow = useDistributeFlow(cluster, onJobChange);
  const caKeyHolders = useCaKeyHolders(cluster);
  return (
    <>
      <JobButton variant="light" pending={verify.isPending} onClick={() => verify.mutate(node.name, { onError: (e) => failNotice('Verify failed', e) })} data-testid="verify-node">
        Verify
      </JobButton>
      <JobButton
        pending={flow.pending}
        onClick={() => flow.start([node.name], false)}
        disabled={node.expectedFiles === 0}
        data-testid="redistribute-node"
        title="Writes this node's files only"
      >
        Redistribute
      </JobButton>
      {caKeyHolders([node.name]).length > 0 && <DistributeWithCaKeyButton cluster={cluster} nodes={[node.name]} onJob={onJobChange} />}
      <DistributeAllButton cluster={cluster} onJob={onJobChange} variant="light" />
      {flow.dialogs}
    </>
  );
}

function StatusSection({ status, node }: { status: NodeStatus; node: NodeRow }) {
  const filesOlder = status.filesCheckedAt && status.filesCheckedAt !== status.checkedAt;
  return (
    <Stack gap="sm">
      <Group gap="md" wrap="wrap">
        <StateBadge state={status.state} testId="node-page-state" />
        <Text size="sm" data-testid="node-page-files">
          {fileCountLabel({ expectedFiles: node.expectedFiles, status: briefStatus(status) })}
        </Text>
        <StateAge status={status} />
        {status.remoteDir && (
          <Text size="sm">
            in <code>{status.remoteDir}</code>
          </Text>
        )}
      </Group>
      {status.error && <ErrorAlert error={status.error} title="Last look at the node failed" />}
      {status.error?.detail && (
        <Text size="sm" c="dimmed" data-testid="error-detail">
          Exact cause (shown to admins only): {status.error.detail}
        </Text>
      )}
      {status.caKeyWithheld && (
        <Alert color="orange" title={`${withheldFiles(status.caKeyWithheld)} left out`} data-testid="ca-key-withheld">
          <Text size="sm">
            The distribution of <DateTime value={status.caKeyWithheld.at} size="sm" /> wrote every other file: {status.caKeyWithheld.reason}. A
            distribution started by an admin who re-entered the password delivers {status.caKeyWithheld.files?.length === 1 ? 'it' : 'them'}.
          </Text>
        </Alert>
      )}
      {filesOlder && (
        <Text size="sm" data-testid="files-age">
          The files below are as kpki saw them {relativeTime(status.filesCheckedAt)}, judged against what the node must hold now.
        </Text>
      )}
      <NodeFilesTable files={status.files} />
      {status.otherFiles.length > 0 && (
        <Text size="sm" data-testid="other-files">
          Other certificate, key and config files on the node that it does not need from kpki (left alone): {status.otherFiles.join(', ')}
        </Text>
      )}
    </Stack>
  );
}

/** "download this node's files": a bundle holding ca-key.pem (the plan's ca-key-files view says whose) needs an admin and the password again. */
function NodeBundleLink({ cluster, node }: { cluster: string; node: NodeRow }) {
  const permissions = usePermissions();
  const underRule = usePlanCaKeyFiles(cluster).data?.files;
  // until the plan is known, assume the CA key is in it: never offer more than the server allows
  const hasCaKey = underRule ? holdsCaKey(underRule[node.name] ?? []) : true;
  const how = keyDownloadOffer(permissions, hasCaKey);
  const href = downloadUrls.bundle(cluster, node.name);
  const filename = bundleFileName(cluster, node.name);
  const label = `download this node's files: ${filename}`;
  if (how === 'hidden') {
    if (!permissions.canDownloadKeys) return null;
    return (
      <>
        {' · '}
        <Text span size="sm" data-testid="ca-key-admins-only">
          this node's bundle holds ca-key.pem: the CA key is for admins
        </Text>
      </>
    );
  }
  return (
    <>
      {' · '}
      {how === 'reauth' ? (
        <CaKeyDownload href={href} filename={filename} what={`The bundle of ${node.name} (a control-plane node: it includes ca-key.pem)`} testId="download-node-bundle" anchor={{ size: 'sm' }}>
          {label}
        </CaKeyDownload>
      ) : (
        <Anchor href={href} download={filename} size="sm" data-testid="download-node-bundle">
          {label}
        </Anchor>
      )}
    </>
  );
}

export function NodePage({ cluster, node: name, jobId, onJobChange, links, kubeconfigs }: NodePageProps) {
  const { canOperate } = usePermissions();
  const nodes = useNodes(cluster);
  const status = useNodeStatus(cluster, name);
  return (
    <QueryState query={nodes} label="nodes">
      {(list) => {
        const node = list.find((n) => n.name === name);
        if (!node) return <EmptyState title={`No node named ${name} in ${cluster}`} />;
        return (
          <>
            <PageHeader
              documentTitle={[node.name, 'Nodes']}
              title={
                <Group gap="xs">
                  <span>{node.name}</span>
                  <StateBadge state={(status.data ?? node.status).state} testId="node-title-state" />
                </Group>
              }
              description={
                <>
                  {node.role} · {node.addresses.join(', ')} ·{' '}
                  <AnchorLink to="/clusters/$cluster/nodes" params={{ cluster }} search={{}} size="sm">
                    all nodes
                  </AnchorLink>
                  {node.expectedFiles > 0 && <NodeBundleLink cluster={cluster} node={node} />}
                </>
              }
              actions={canOperate ? <NodeActions cluster={cluster} node={node} onJobChange={onJobChange} /> : <ReadOnlyNote what="verify or distribute" />}
            />
            <Stack gap="md">
              {jobId && (
                <Section title="Job">
                  <NodeJob cluster={cluster} jobId={jobId} onJobChange={onJobChange} />
                </Section>
              )}
              <Section title={`Files (${node.expectedFiles} expected)`}>
                <QueryState query={status} label="the node's files">
                  {(s) => <StatusSection status={s} node={node} />}
                </QueryState>
              </Section>
              {links && <Section title="Links">{links}</Section>}
              {kubeconfigs && node.role !== 'load-balancer' && <Section title="Kubeconfigs">{kubeconfigs}</Section>}
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <Section title="SSH settings">
                  <SshSettingsForm key={JSON.stringify(node.ssh ?? {})} cluster={cluster} node={node} />
                </Section>
                <Stack gap="md">
                  <Section title="Host key">
                    <HostKeySection cluster={cluster} node={node} />
                  </Section>
                  <DeployKeyCard cluster={cluster} />
                </Stack>
              </SimpleGrid>
            </Stack>
          </>
        );
      }}
    </QueryState>
  );
}
