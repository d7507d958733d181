/** The one application error: a stable code (packages/shared/src/api/errors.ts), a message
 * that says what to fix, and optional details. The HTTP status comes from the code. */
import { ErrorCodes, type ErrorCode } from '@kpki/shared/api/errors';

export class AppError extends Error {
  readonly statusCode: number;
  constructor(readonly code: ErrorCode, message: string, readonly details?: unknown) {
    super(message);
    this.statusCode = ErrorCodes[code];
  }
}

export const notFound = (code: ErrorCode, what: string) => new AppError(code, `${what} does not exist`);
