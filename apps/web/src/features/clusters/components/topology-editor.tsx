/**
 * The topology editor, for creating and editing a cluster. Validates with the shared
 * TypeBox schema before sending, and shows the server's field errors (400 `details`,
 * JSON pointers) beside the fields they name.
 */
import { useState } from 'react';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Cluster, ClusterInput } from '@kpki/shared';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { isCancelled } from '../../../components/use-elevation.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { emptyNode, toClusterInput, type TopologyFormValues } from '../form/form-model.ts';
import { FORM_ERROR_KEY, issuesToFormErrors, validateTopology } from '../form/form-errors.ts';
import { ClusterFields } from './cluster-fields.tsx';
import { ExtraSansFields } from './extra-sans-fields.tsx';
import { NodeFields } from './node-fields.tsx';

interface TopologyEditorProps {
  initialValues: TopologyFormValues;
  editing: boolean;
  submitLabel: string;
  onSubmit: (input: ClusterInput) => Promise<Cluster>;
  onSaved: (cluster: Cluster) => void;
  onCancel?: () => void;
}

export function TopologyEditor({ initialValues, editing, submitLabel, onSubmit, onSaved, onCancel }: TopologyEditorProps) {
  const { canOperate } = usePermissions();
  const [serverError, setServerError] = useState<unknown>(null);
  const form = useForm<TopologyFormValues>({ mode: 'controlled', initialValues, validate: validateTopology });

  const submit = form.onSubmit(async (values) => {
    setServerError(null);
    try {
      onSaved(await onSubmit(toClusterInput(values)));
    } catch (error) {
      if (error instanceof ApiError && error.fieldIssues.length > 0) {
        form.setErrors(issuesToFormErrors(error.fieldIssues, values));
      } else if (error instanceof ApiError && error.code === 'CLUSTER_EXISTS') {
        form.setErrors({ name: error.message });
      }
      if (!isCancelled(error)) setServerError(error);
    }
  });

  const errorCount = Object.keys(form.errors).length;
  const formError = form.errors[FORM_ERROR_KEY];
  return (
    <form onSubmit={submit} noValidate data-testid="topology-editor" aria-label="Cluster topology">
      <fieldset disabled={!canOperate} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Stack gap="md">
        {!canOperate && <ReadOnlyNote what="create or change a topology" size="sm" />}
        {serverError != null && <ErrorAlert error={serverError} title="The server did not accept the topology" />}
        {formError && (
          <Alert color="red" role="alert" data-testid="form-error">
            {formError}
          </Alert>
        )}
        <ClusterFields form={form} editing={editing} />
        <Stack gap="sm">
          <Group justify="space-between">
            <Text fw={600}>Nodes ({form.values.nodes.length})</Text>
            {canOperate && <Group gap="xs">
              <Button variant="light" size="xs" onClick={() => form.insertListItem('nodes', emptyNode('control-plane'))} data-testid="add-control-plane">
                Add control-plane node
              </Button>
              <Button variant="light" size="xs" onClick={() => form.insertListItem('nodes', emptyNode('worker'))} data-testid="add-worker">
                Add worker
              </Button>
              <Button variant="light" size="xs" onClick={() => form.insertListItem('nodes', emptyNode('load-balancer'))} data-testid="add-load-balancer">
                Add load balancer
              </Button>
            </Group>}
          </Group>
          {form.errors.nodes && (
            <Text c="red" size="sm" role="alert">
              {form.errors.nodes}
            </Text>
          )}
          {form.values.nodes.map((_, i) => (
            <NodeFields key={i} form={form} index={i} canRemove={form.values.nodes.length > 1} />
          ))}
        </Stack>
        <ExtraSansFields form={form} />
        <Group justify="flex-end" gap="sm">
          {errorCount > 0 && (
            <Text c="red" size="sm" role="status" data-testid="form-error-count">
              {errorCount === 1 ? '1 field needs attention' : `${errorCount} fields need attention`}
            </Text>
          )}
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          {canOperate && (
            <Button type="submit" loading={form.submitting} data-testid="save-topology">
              {submitLabel}
            </Button>
          )}
        </Group>
      </Stack>
      </fieldset>
    </form>
  );
}
