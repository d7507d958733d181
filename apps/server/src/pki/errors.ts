/**
 * Errors of pki/: a stable code from the one error table (packages/shared/src/api/errors.ts) and
 * a message that names the problem and never contains key material. Invalid arguments (a
 * programming error, e.g. a negative validity) throw TypeError or RangeError instead.
 */
import { AppError } from '../lib/errors.ts';

export class PkiError extends AppError {
  override readonly name = 'PkiError';
}
