/**
 * Exit codes follow the API's error codes (packages/shared/src/api/errors.ts), by kind, so a
 * script tells "not signed in" from "not allowed" from "not there" without parsing messages.
 */
export const EXIT = {
  OK: 0,
  /** a job ended failed or interrupted (NODES_FAILED: the nodes are named) */
  JOB_FAILED: 1,
  /** the command line itself is wrong (unknown command or flag, missing argument) */
  USAGE: 2,
  /** 401: UNAUTHENTICATED, INVALID_CREDENTIALS (no token, an expired or revoked one) */
  UNAUTHENTICATED: 3,
  /** 403: FORBIDDEN, REAUTH_REQUIRED (the CA key rule), CSRF_INVALID */
  FORBIDDEN: 4,
  /** 404: CLUSTER_NOT_FOUND, NODE_NOT_FOUND, CERTIFICATE_NOT_FOUND, ... */
  NOT_FOUND: 5,
  /** 409 and 412: CA_EXISTS, CA_NOT_FOUND, ISSUANCE_TOO_LARGE, SSH_NOT_CONFIGURED, PRECONDITION_FAILED, ... */
  CONFLICT: 6,
  /** 400, 405, 406, 413, 415: VALIDATION_FAILED, INVALID_TOPOLOGY, ... */
  INVALID: 7,
  /** 429: RATE_LIMITED */
  RATE_LIMITED: 8,
  /** the server cannot be reached, or answered 5xx (SSH_UNREACHABLE, INTERNAL, ...) */
  UNAVAILABLE: 9,
} as const;

export function exitCodeFor(status: number): number {
  if (status === 401) return EXIT.UNAUTHENTICATED;
  if (status === 403) return EXIT.FORBIDDEN;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 409 || status === 412) return EXIT.CONFLICT;
  if (status === 429) return EXIT.RATE_LIMITED;
  if (status >= 400 && status < 500) return EXIT.INVALID;
  return EXIT.UNAVAILABLE;
}
