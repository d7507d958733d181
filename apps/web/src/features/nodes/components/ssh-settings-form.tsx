/**
 * SSH settings of one node (PUT .../ssh). The host is pre-filled with the node's first
 * address when not set yet. Changing host or port drops the pinned host key, which
 * belongs to the old target. The save carries the cluster's version (If-Match): when someone else
 * changed this node's settings meanwhile, theirs are shown, to keep or to save over.
 */
import { Alert, Button, Checkbox, Code, Group, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { Value } from 'typebox/value';
import { SshSettings, type NodeRow } from '@kpki/shared';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { isCancelled, useElevation } from '../../../components/use-elevation.tsx';
import { parsePointer } from '../../../lib/json-pointer.ts';
import { useState } from 'react';
import { NodeSshConflict, usePutNodeSsh } from '../api/put-node-ssh.ts';

interface SshFormValues {
  host: string;
  port: number | string;
  user: string;
  remoteDir: string;
  /** the remote folder may be, or lie under, a symbolic link */
  followLinks: boolean;
}

const FIELDS = ['host', 'port', 'user', 'remoteDir'] as const;

export function initialSshValues(node: Pick<NodeRow, 'ssh' | 'addresses'>): SshFormValues {
  return {
    host: node.ssh?.host ?? node.addresses[0] ?? '',
    port: node.ssh?.port ?? 22,
    user: node.ssh?.user ?? 'root',
    remoteDir: node.ssh?.remoteDir ?? '',
    followLinks: node.ssh?.followLinks ?? false,
  };
}

/** Form values -> SshSettings body, keeping the pinned key only while host and port stay. */
export function toSshSettings(values: SshFormValues, current: SshSettings | undefined): SshSettings {
  const out: SshSettings = {};
  if (values.host.trim()) out.host = values.host.trim();
  if (values.port !== '') out.port = Number(values.port);
  if (values.user.trim()) out.user = values.user.trim();
  if (values.remoteDir.trim()) out.remoteDir = values.remoteDir.trim();
  if (values.followLinks) out.followLinks = true;
  const sameTarget = (current?.host ?? '') === (out.host ?? '') && (current?.port ?? 22) === (out.port ?? 22);
  if (current?.hostKey && sameTarget) out.hostKey = current.hostKey;
  return out;
}

/** Maps JSON-pointer issues ("/port") onto the form's fields. */
function toErrors(issues: Array<{ path: string; message: string }>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const [field] = parsePointer(issue.path);
    const key = FIELDS.includes(field as (typeof FIELDS)[number]) ? field : 'host';
    errors[key] = errors[key] ? `${errors[key]}; ${issue.message}` : issue.message;
  }
  return errors;
}

/** user@host:port folder, and the pinned key, in one line. */
const sshLine = (ssh: SshSettings | undefined) =>
  ssh?.host ? `${ssh.user ?? 'root'}@${ssh.host}:${ssh.port ?? 22} ${ssh.remoteDir ?? '~/'}${ssh.hostKey ? `, host key ${ssh.hostKey}` : ', no pinned host key'}` : 'not set';

export function SshSettingsForm({ cluster, node }: { cluster: string; node: NodeRow }) {
  const { canOperate } = usePermissions();
  // what the person started from: a 412 that left it unchanged is not a conflict for this form
  const [base, setBase] = useState(node.ssh);
  const [conflict, setConflict] = useState<NodeSshConflict | null>(null);
  const put = usePutNodeSsh(cluster, node.name, base);
  const elevation = useElevation();
  const form = useForm<SshFormValues>({
    mode: 'controlled',
    initialValues: initialSshValues(node),
    validate: (values) => {
      const issues = [...Value.Errors(SshSettings, toSshSettings(values, base))].map((e) => ({ path: e.instancePath, message: e.message }));
      if (!values.host.trim()) issues.push({ path: '/host', message: 'Required to reach the node' });
      return toErrors(issues);
    },
  });

  const save = async (values: SshFormValues, ifMatch?: string) => {
    const body = toSshSettings(values, base);
    try {
      // a control-plane node's target decides where the CA key goes: the server may ask for the password
      const { data } = await elevation.retry(() => put.mutateAsync({ ssh: body, ifMatch }), `Changing the SSH target of ${node.name}, which receives ca-key.pem,`);
      setBase(data.ssh);
      setConflict(null);
      form.resetDirty();
      notifications.show({ color: 'green', title: 'SSH settings saved', message: `${node.name}: ${body.user ?? 'root'}@${body.host}:${body.port ?? 22}` });
    } catch (error) {
      if (isCancelled(error)) put.reset();
      else if (error instanceof NodeSshConflict) {
        put.reset();
        setConflict(error);
      } else if (error instanceof ApiError && error.fieldIssues.length > 0) form.setErrors(toErrors(error.fieldIssues));
    }
  };
  const submit = form.onSubmit((values) => save(values));
  /** keep the other writer's settings: the form shows them, nothing is sent */
  const takeTheirs = (c: NodeSshConflict) => {
    setBase(c.theirs);
    form.setValues(initialSshValues({ ssh: c.theirs, addresses: node.addresses }));
    form.resetDirty();
    setConflict(null);
  };

  const dropsPin = !!base?.hostKey && !toSshSettings(form.values, base).hostKey;
  return (
    <form onSubmit={submit} aria-label={`SSH settings of ${node.name}`} data-testid="ssh-form" noValidate>
      <fieldset disabled={!canOperate} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="SSH host"
            description={node.ssh?.host ? undefined : `Suggested: the node's first address (${node.addresses[0] ?? 'none'})`}
            withAsterisk
            data-testid="ssh-host"
            {...form.getInputProps('host')}
          />
          <NumberInput label="SSH port" min={1} max={65535} allowDecimal={false} data-testid="ssh-port" {...form.getInputProps('port')} />
          <TextInput label="SSH user" data-testid="ssh-user" {...form.getInputProps('user')} />
          <TextInput label="Remote folder" placeholder="~/ (the user's home)" data-testid="ssh-remote-dir" {...form.getInputProps('remoteDir')} />
        </SimpleGrid>
        <Checkbox label="The remote folder may be a symbolic link (otherwise kpki refuses a folder that is, or lies under, one)"
          data-testid="ssh-follow-links" {...form.getInputProps('followLinks', { type: 'checkbox' })} />
        {dropsPin && (
          <Text size="sm" c="orange">
            Saving a new host or port removes the pinned host key: scan and pin again afterwards.
          </Text>
        )}
        {conflict && (
          <Alert color="orange" title="Someone else changed these SSH settings" data-testid="ssh-conflict">
            <Stack gap="xs">
              <Text size="sm">
                Since this page was loaded, the SSH settings of {node.name} were saved as <Code data-testid="ssh-conflict-theirs">{sshLine(conflict.theirs)}</Code>.
                Yours: <Code data-testid="ssh-conflict-mine">{sshLine(toSshSettings(form.values, base))}</Code>.
              </Text>
              <Group>
                <Button size="xs" color="orange" onClick={() => save(form.values, conflict.etag)} data-testid="ssh-save-over">
                  Save mine over theirs
                </Button>
                <Button size="xs" variant="default" onClick={() => takeTheirs(conflict)} data-testid="ssh-take-theirs">
                  Keep theirs
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {put.error && <ErrorAlert error={put.error} title="Could not save the SSH settings" />}
        {elevation.dialog}
        <Group justify="flex-end">
          {canOperate ? (
            <Button type="submit" loading={put.isPending} data-testid="save-ssh">
              Save SSH settings
            </Button>
          ) : (
            <ReadOnlyNote what="change SSH settings" />
          )}
        </Group>
      </Stack>
      </fieldset>
    </form>
  );
}
