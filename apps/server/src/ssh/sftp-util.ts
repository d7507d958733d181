/**
 * Small helpers for ssh2's SFTP client: status codes and readable reasons for messages.
 */
import { SshError } from './errors.ts';

/** SFTP status codes (draft-ietf-secsh-filexfer-02). */
export const FX = { EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3 } as const;
const S_IFMT = 0o170000;

export function sftpCode(err: unknown): number | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'number' ? c : undefined;
}

/** Short reason of an SFTP failure, for messages. */
export function reason(err: unknown): string {
  if (err instanceof SshError) return err.message;
  switch (sftpCode(err)) {
    case FX.NO_SUCH_FILE:
      return 'no such file or directory';
    case FX.PERMISSION_DENIED:
      return 'permission denied';
    default:
      return ((err as Error)?.message || String(err)).replace(/\.$/, '').toLowerCase();
  }
}

/** Kind of a remote entry from its mode bits. */
export function typeOf(mode: number): 'file' | 'directory' | 'symlink' | 'other' {
  switch (mode & S_IFMT) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}
