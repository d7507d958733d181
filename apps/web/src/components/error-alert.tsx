/** Shows an API error as its stable code and message, for every page and form. */
import { Alert, Code, Text } from '@mantine/core';
import { ApiError } from '../api/client.ts';

export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    return { code: String(error.code), message: String(error.message) };
  }
  if (error instanceof Error) return { code: 'CLIENT_ERROR', message: error.message };
  return { code: 'UNKNOWN', message: String(error) };
}

/** An error box; `live` (default) makes it an alert that interrupts, off where a status region already speaks. */
export function ErrorAlert({ error, title = 'Something went wrong', live = true }: { error: unknown; title?: string; live?: boolean }) {
  const { code, message } = describeError(error);
  return (
    <Alert color="red" title={title} role={live ? 'alert' : 'group'} data-testid="error-alert" data-error-code={code}>
      <Text size="sm">
        <Code data-testid="error-code">{code}</Code> {message}
      </Text>
    </Alert>
  );
}
