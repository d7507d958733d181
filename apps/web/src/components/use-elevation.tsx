/**
 * Password re-entry on demand for actions that follow the CA key rule. `ensure(what)` resolves
 * at once inside the 5-minute window, else after the password dialog; `retry(fn, what)` runs
 * `fn` and, when the server answers REAUTH_REQUIRED to an admin, asks for the password and runs
 * it once more; `caKeyAction(what, caKey, fn)` does both for one action that may move the CA key.
 * Render `dialog` in the component.
 */
import { useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { forgetElevation, isElevated } from '../api/reauth.ts';
import { PasswordDialog } from './password-dialog.tsx';
import { usePermissions } from './permissions.tsx';

/** The error a cancelled password dialog rejects with; forms ignore it. */
export const CANCELLED = 'CANCELLED';
export const isCancelled = (error: unknown) => error instanceof ApiError && error.code === CANCELLED;

interface Pending {
  what: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface Elevation {
  ensure: (what: string) => Promise<void>;
  retry: <T>(fn: () => Promise<T>, what: string) => Promise<T>;
  /**
   * Runs `fn`, an action that moves the CA key when `caKey` (as far as the page knows): an admin
   * enters the password first (not inside the 5-minute window), and a REAUTH_REQUIRED answer asks
   * for it and runs `fn` once more. Resolves to undefined when the password dialog was cancelled;
   * other errors reject. Anyone else than an admin is told by the server why not.
   */
  caKeyAction: <T>(what: string, caKey: boolean, fn: () => Promise<T>) => Promise<T | undefined>;
  dialog: ReactNode;
}

export function useElevation(): Elevation {
  const { role, canDownloadCaKey } = usePermissions();
  const [pending, setPending] = useState<Pending | null>(null);
  const current = useRef<Pending | null>(null);

  const ensure = (what: string) =>
    isElevated()
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
        current.current = { what, resolve, reject };
        setPending(current.current);
      });

  const retry = async <T,>(fn: () => Promise<T>, what: string): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'REAUTH_REQUIRED') || (role !== null && role !== 'admin')) throw error;
      forgetElevation();
      await ensure(what);
      return fn();
    }
  };

  const caKeyAction = async <T,>(what: string, caKey: boolean, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      if (caKey && canDownloadCaKey) await ensure(what);
      return await retry(fn, what);
    } catch (error) {
      if (isCancelled(error)) return undefined;
      throw error;
    }
  };

  const finish = (ok: boolean) => {
    const p = current.current;
    current.current = null;
    setPending(null);
    if (!p) return;
    if (ok) p.resolve();
    else p.reject(new ApiError(0, CANCELLED, 'cancelled: the password was not entered'));
  };

  const dialog = (
    <PasswordDialog
      opened={pending !== null}
      title="Enter your password to go on"
      explanation={<>{pending?.what} follows the CA key rule: an admin with the password entered again in the last 5 minutes. kpki records it in the audit log.</>}
      confirmLabel="Confirm"
      onClose={() => finish(false)}
      onConfirmed={() => finish(true)}
    />
  );
  return { ensure, retry, caKeyAction, dialog };
}
