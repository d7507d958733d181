/** "Will this certificate be valid for address X?": the tutorial's most common TLS failure, checked ahead. */
import { useState } from 'react';
import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useCheckAddress } from '../api/check-address.ts';

export function AddressCheckForm({ cluster, name }: { cluster: string; name: string }) {
  const [address, setAddress] = useState('');
  const check = useCheckAddress(cluster, name);
  const result = check.data;
  return (
    <Stack gap="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (address.trim()) check.mutate(address.trim());
        }}
        aria-label="Check an address"
      >
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            label="Address a client dials"
            placeholder="10.32.0.1:6443, https://kubernetes.default or [fd00::1]:6443"
            description="Paste what a client dials: a host, host:port or a URL"
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            w={360}
            data-testid="check-address-input"
          />
          <Button type="submit" loading={check.isPending} disabled={!address.trim()} data-testid="check-address">
            Check
          </Button>
        </Group>
      </form>
      {check.error && <ErrorAlert error={check.error} title="Could not check the address" />}
      {result && (
        <Alert
          color={result.valid ? 'green' : 'red'}
          title={result.valid ? `Valid for ${result.address}` : `Not valid for ${result.address}`}
          data-testid="check-result"
          data-valid={String(result.valid)}
        >
          {result.message}
          {result.matched && !result.message.includes(result.matched.value) && ` (matches ${result.matched.type.toUpperCase()} SAN ${result.matched.value})`}
          {result.note && (
            <Text size="sm" mt={4} data-testid="check-note">
              ({result.note})
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}
