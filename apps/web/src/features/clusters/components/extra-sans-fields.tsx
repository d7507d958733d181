/** Extra SANs the operator adds on purpose, per certificate name. */
import { Button, Fieldset, Group, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { TopologyFormValues } from '../form/form-model.ts';

type Form = UseFormReturnType<TopologyFormValues>;

export function ExtraSansFields({ form }: { form: Form }) {
  return (
    <Fieldset legend="Extra SANs">
      <Text size="xs" c="dimmed" mb="xs">
        Added on purpose to a certificate, e.g. a DNS name of the API server. Shown with the reason "added by the operator".
      </Text>
      <Stack gap="xs">
        {form.values.extraSans.map((_, i) => (
          <Group key={i} align="flex-start" wrap="wrap" gap="xs" data-testid={`extra-san-${i}`}>
            <TextInput
              label="Certificate"
              placeholder="kubernetes"
              w={200}
              data-testid={`extra-san-${i}-certificate`}
              {...form.getInputProps(`extraSans.${i}.certificate`)}
            />
            <TextInput
              label="SANs"
              placeholder="api.example.com, 203.0.113.5"
              style={{ flex: 1, minWidth: 220 }}
              data-testid={`extra-san-${i}-values`}
              {...form.getInputProps(`extraSans.${i}.values`)}
            />
            <Button variant="subtle" color="red" size="xs" mt={26} onClick={() => form.removeListItem('extraSans', i)} aria-label={`Remove extra SAN row ${i + 1}`}>
              Remove
            </Button>
          </Group>
        ))}
        {form.errors.extraSans && (
          <Text c="red" size="sm" role="alert">
            {form.errors.extraSans}
          </Text>
        )}
        <Group>
          <Button variant="light" size="xs" onClick={() => form.insertListItem('extraSans', { certificate: '', values: '' })} data-testid="add-extra-san">
            Add extra SANs
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
