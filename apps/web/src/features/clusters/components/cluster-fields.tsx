/** The cluster-wide fields of the topology editor: name, network, keys, validity, subject. */
import { Checkbox, Fieldset, Group, NativeSelect, NumberInput, SimpleGrid, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { KEY_ALGORITHMS, type TopologyFormValues } from '../form/form-model.ts';

type Form = UseFormReturnType<TopologyFormValues>;

const UNITS = [
  { value: 'hours', label: 'hours' },
  { value: 'days', label: 'days' },
];

function ValidityField({ form, field, label, description }: { form: Form; field: 'caValidity' | 'certValidity'; label: string; description: string }) {
  return (
    <Group align="flex-start" gap="xs" wrap="nowrap">
      <NumberInput
        label={label}
        description={description}
        min={1}
        allowDecimal={false}
        style={{ flex: 1 }}
        data-testid={`field-${field}`}
        {...form.getInputProps(field)}
      />
      <NativeSelect
        label="Unit"
        aria-label={`${label} unit`}
        description=" "
        data={UNITS}
        w={100}
        data-testid={`field-${field}Unit`}
        {...form.getInputProps(`${field}Unit`)}
      />
    </Group>
  );
}

export function ClusterFields({ form, editing }: { form: Form; editing: boolean }) {
  return (
    <>
      <Fieldset legend="Cluster">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Cluster name"
            description={editing ? 'The name cannot change.' : 'A DNS label, e.g. hard-way'}
            withAsterisk
            disabled={editing}
            data-testid="field-name"
            {...form.getInputProps('name')}
          />
          <NativeSelect label="Key algorithm" data={KEY_ALGORITHMS} data-testid="field-keyAlgorithm" {...form.getInputProps('keyAlgorithm')} />
          <TextInput
            label="Service CIDR"
            description="The API server gets its first address as a SAN"
            placeholder="10.96.0.0/12"
            withAsterisk
            data-testid="field-serviceCidr"
            {...form.getInputProps('serviceCidr')}
          />
          <TextInput
            label="Cluster domain"
            description="kubernetes.default.svc.<domain> becomes a SAN"
            withAsterisk
            data-testid="field-clusterDomain"
            {...form.getInputProps('clusterDomain')}
          />
          <ValidityField form={form} field="caValidity" label="CA validity" description="cfssl's default: 43800 hours (5 years)" />
          <ValidityField form={form} field="certValidity" label="Certificate validity" description="Never beyond the CA's end" />
          <NumberInput
            label="Expiry warning (days)"
            description="Fewer days left: warning (default 30)"
            min={1}
            allowDecimal={false}
            data-testid="field-expiryWarningDays"
            {...form.getInputProps('expiryWarningDays')}
          />
          <NumberInput
            label="Expiry critical (days)"
            description="Fewer days left: critical (default 7)"
            min={0}
            allowDecimal={false}
            data-testid="field-expiryCriticalDays"
            {...form.getInputProps('expiryCriticalDays')}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Kubeconfigs and encryption config">
        <Checkbox
          label="Generate the kubeconfigs and the encryption config, and distribute them with the certificates"
          description="The tutorial's next module: one kubeconfig per component with its certificate embedded, and encryption-config.yaml on the control-plane nodes. Off: certificates only."
          mb="sm"
          data-testid="field-generateConfigFiles"
          {...form.getInputProps('generateConfigFiles', { type: 'checkbox' })}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label="API server port"
            description="In every kubeconfig's server URL (the load balancer forwards it)"
            placeholder="6443"
            min={1}
            max={65535}
            allowDecimal={false}
            disabled={!form.values.generateConfigFiles}
            data-testid="field-apiServerPort"
            {...form.getInputProps('apiServerPort')}
          />
          <TextInput
            label="Cluster name in the kubeconfigs"
            description="Empty: the cluster's name (the tutorial uses kubernetes-the-hard-way)"
            placeholder={form.values.name || 'the cluster name'}
            disabled={!form.values.generateConfigFiles}
            data-testid="field-kubeconfigClusterName"
            {...form.getInputProps('kubeconfigClusterName')}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Subject defaults">
        <Text size="xs" c="dimmed" mb="xs">
          Applied to every certificate; CN and O come from the catalog. The CA uses OU=CA.
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <TextInput label="Country (C)" maxLength={2} data-testid="field-subject-C" {...form.getInputProps('subject.C')} />
          <TextInput label="State (ST)" data-testid="field-subject-ST" {...form.getInputProps('subject.ST')} />
          <TextInput label="Locality (L)" data-testid="field-subject-L" {...form.getInputProps('subject.L')} />
          <TextInput label="Organizational unit (OU)" data-testid="field-subject-OU" {...form.getInputProps('subject.OU')} />
        </SimpleGrid>
        {form.errors.subject && (
          <Text c="red" size="sm" mt="xs" role="alert">
            {form.errors.subject}
          </Text>
        )}
      </Fieldset>
    </>
  );
}
