import Type, { type TSchema } from 'typebox';

/**
 * The one table of stable error codes. Every API error is
 * `{ error: { code, message, details } }` with `code` from here.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  INVALID_TOPOLOGY: 400,
  INVALID_ADDRESS: 400,
  INVALID_PEM: 400,
  /** a PUT changes a field kpki sets (createdAt, updatedAt, hasCa, caNotAfter of a cluster) */
  READ_ONLY_FIELD: 400,
  UNSUPPORTED_KEY: 400,
  /** an import's archive refused: a path escaping its folder, a link, a device, over a size limit, unreadable (details.entry names the entry) */
  ARCHIVE_REFUSED: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  REAUTH_REQUIRED: 403,
  NOT_FOUND: 404,
  CLUSTER_NOT_FOUND: 404,
  NODE_NOT_FOUND: 404,
  CERTIFICATE_NOT_FOUND: 404,
  KUBECONFIG_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  /** an import (issue 14) that does not exist in this cluster, or was purged with it */
  IMPORT_NOT_FOUND: 404,
  /** adopting an import whose report says it cannot be (a CA key not matching the CA, a read-only layout, another CA than the cluster's): details.reasons */
  IMPORT_NOT_ADOPTABLE: 409,
  /** adopting or discarding an import that was already adopted, discarded or expired */
  IMPORT_ENDED: 409,
  CLUSTER_EXISTS: 409,
  CA_EXISTS: 409,
  CA_NOT_FOUND: 409,
  CA_INVALID: 409,
  CA_EXPIRED: 409,
  NOT_ISSUED: 409,
  NOTHING_TO_ARCHIVE: 409,
  CA_ROTATION_REQUIRED: 409,
  ISSUANCE_TOO_LARGE: 409,
  /** CA rotation (issue 13): a phase asked for that does not follow the current one */
  CA_ROTATION_NOT_STARTED: 409,
  CA_ROTATION_IN_PROGRESS: 409,
  CA_ROTATION_PHASE: 409,
  /** a rotation job of the cluster is queued or running */
  CA_ROTATION_RUNNING: 409,
  /** the next phase while a node does not hold the current phase's files in sync (named in the message and details.nodes) */
  NODES_NOT_IN_STEP: 409,
  USER_EXISTS: 409,
  /** If-Match names a version that is no longer current: someone else changed it since (details: the current version) */
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
  SSH_NOT_CONFIGURED: 409,
  SSH_TARGET_NOT_ALLOWED: 409,
  SSH_HOST_KEY_NOT_PINNED: 409,
  /** a bulk pin (POST .../host-keys) found a node presenting another key than the one reviewed: nothing pinned (details.nodes) */
  HOST_KEY_CHANGED: 409,
  SSH_HOST_KEY_MISMATCH: 502,
  SSH_UNREACHABLE: 502,
  SSH_AUTH_FAILED: 502,
  SSH_WRITE_FAILED: 502,
  SSH_VERIFY_FAILED: 502,
  /** a distribution job in which at least one node failed (the job's error; each node's is in its result) */
  NODES_FAILED: 502,
  /** a job that kpki stopped while it ran (set at the next start) */
  INTERRUPTED: 503,
  NOT_ACCEPTABLE: 406,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/**
 * The body of every error answer, with `code` one of `codes` (default: any code of the table).
 * The OpenAPI description states, per operation and status, the codes it can answer.
 */
export function ErrorBodyOf(codes: readonly ErrorCode[] = Object.keys(ErrorCodes) as ErrorCode[], details?: TSchema) {
  return Type.Object({
    error: Type.Object({
      code: Type.Union(codes.map((c) => Type.Literal(c)), { description: 'a stable code (packages/shared/src/api/errors.ts)' }),
      /** what went wrong and what to do, in words */
      message: Type.String({ description: 'what went wrong and what to do, in words' }),
      /** the fields at fault (VALIDATION_FAILED: [{path, code, message}]), or facts of the code */
      details: Type.Optional(details ?? Type.Unknown({ description: 'the fields at fault (VALIDATION_FAILED: [{path, code, message}]) or facts of the code' })),
    }),
  });
}

/** `{ error: { code, message, details } }`, any code. */
export const ApiErrorBody = ErrorBodyOf();
export type ApiErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };
