/**
 * A button that starts a job. It is never disabled or replaced while the request runs, so
 * keyboard focus stays on it (a disabled button would drop focus to the page); a second click
 * while pending does nothing, and `aria-busy` tells assistive technology.
 */
import { Button, Loader, type ButtonProps } from '@mantine/core';
import type { MouseEventHandler } from 'react';

interface JobButtonProps extends Omit<ButtonProps, 'loading'> {
  pending: boolean;
  onClick: MouseEventHandler<HTMLButtonElement>;
  title?: string;
  'data-testid'?: string;
}

export function JobButton({ pending, onClick, children, ...props }: JobButtonProps) {
  return (
    <Button {...props} aria-busy={pending} rightSection={pending ? <Loader size={14} color="currentColor" /> : undefined} onClick={pending ? undefined : onClick}>
      {children}
    </Button>
  );
}
