/**
 * Errors of the SSH/SFTP transport.
 *
 * Every failure that reaches a caller is an {@link SshError} with a stable `code` (the same codes
 * as the API's error table, `packages/shared/src/api/errors.ts`) and a message that says what to
 * fix. Messages never contain key material.
 */

/** Stable codes of transport failures. */
export type SshErrorCode =
  | 'SSH_UNREACHABLE'
  | 'SSH_HOST_KEY_MISMATCH'
  | 'SSH_HOST_KEY_NOT_PINNED'
  | 'SSH_AUTH_FAILED'
  | 'SSH_WRITE_FAILED'
  | 'SSH_VERIFY_FAILED'
  | 'SSH_NOT_CONFIGURED'
  | 'SSH_TARGET_NOT_ALLOWED';

/** Extra facts attached to an {@link SshError}. */
export interface SshErrorDetails {
  /** name of the node (or "host:port" when no name was given) */
  node?: string;
  /** remote path concerned, when there is one */
  path?: string;
  /** underlying error, for logs (never shown to API clients verbatim) */
  cause?: unknown;
  /**
   * what exactly happened, for admins only (refused, closed, silent, unreachable): the message
   * itself says the same words for all of them, so that kpki is no port scanner for non-admins
   */
  detail?: string;
}

/** A failure of the SSH transport, with a code the API maps to an HTTP status. */
export class SshError extends Error {
  readonly code: SshErrorCode;
  readonly node?: string;
  readonly path?: string;
  readonly detail?: string;

  constructor(code: SshErrorCode, message: string, details: SshErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SshError';
    this.code = code;
    if (details.node !== undefined) this.node = details.node;
    if (details.path !== undefined) this.path = details.path;
    if (details.detail !== undefined) this.detail = details.detail;
  }
}

/**
 * A private key that could not be read (uploaded key in an unknown format, encrypted, public key
 * instead of private, too weak). `code` is the API's `INVALID_PEM`. The message never echoes the key.
 */
export class SshKeyError extends Error {
  readonly code = 'INVALID_PEM' as const;

  constructor(message: string) {
    super(message);
    this.name = 'SshKeyError';
  }
}
