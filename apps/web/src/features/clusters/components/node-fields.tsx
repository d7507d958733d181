/** One node of the topology editor: name, role, addresses and SSH settings. */
import { Button, Fieldset, Group, NativeSelect, NumberInput, SimpleGrid, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { NODE_ROLES, type TopologyFormValues } from '../form/form-model.ts';

type Form = UseFormReturnType<TopologyFormValues>;

export function NodeFields({ form, index, canRemove }: { form: Form; index: number; canRemove: boolean }) {
  const node = form.values.nodes[index];
  const p = `nodes.${index}` as const;
  const title = node.name.trim() || `Node ${index + 1}`;
  const firstAddress = node.addresses.split(/[\s,]+/).filter(Boolean)[0];
  return (
    <Fieldset legend={title} data-testid={`node-editor-${index}`}>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label="Node name" withAsterisk description="A DNS label" data-testid={`node-${index}-name`} {...form.getInputProps(`${p}.name`)} />
        <NativeSelect label="Role" data={NODE_ROLES} data-testid={`node-${index}-role`} {...form.getInputProps(`${p}.role`)} />
        <TextInput
          label="Addresses"
          withAsterisk
          description="IPv4 or IPv6, comma separated"
          placeholder="192.0.2.10, 2001:db8::10"
          data-testid={`node-${index}-addresses`}
          {...form.getInputProps(`${p}.addresses`)}
        />
      </SimpleGrid>
      <Text size="sm" fw={600} mt="md" mb={4}>
        SSH (optional here; also editable on the node page)
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 4 }}>
        <TextInput
          label="SSH host"
          placeholder={firstAddress ?? 'host or IP'}
          data-testid={`node-${index}-sshHost`}
          {...form.getInputProps(`${p}.sshHost`)}
        />
        <NumberInput label="SSH port" placeholder="22" min={1} max={65535} allowDecimal={false} data-testid={`node-${index}-sshPort`} {...form.getInputProps(`${p}.sshPort`)} />
        <TextInput label="SSH user" placeholder="root" data-testid={`node-${index}-sshUser`} {...form.getInputProps(`${p}.sshUser`)} />
        <TextInput label="Remote folder" placeholder="~/ (the user's home)" data-testid={`node-${index}-sshRemoteDir`} {...form.getInputProps(`${p}.sshRemoteDir`)} />
      </SimpleGrid>
      {node.sshHostKey && (
        <Text size="xs" c="dimmed" mt="xs">
          Pinned host key: <code>{node.sshHostKey}</code>
        </Text>
      )}
      <Group justify="flex-end" mt="sm">
        <Button
          variant="subtle"
          color="red"
          size="xs"
          disabled={!canRemove}
          onClick={() => form.removeListItem('nodes', index)}
          aria-label={`Remove node ${title}`}
          data-testid={`node-${index}-remove`}
        >
          Remove node
        </Button>
      </Group>
    </Fieldset>
  );
}
