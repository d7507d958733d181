/**
 * What an audit line keeps of a request body: the body without secrets, bounded in depth, width
 * and length, so that no body (a deeply nested one, a huge one) can make the line fail.
 */

const SECRET_FIELD = /password|privatekey|token|secret/i;
/** Values that look like key material whatever their field is called (a key pasted into the wrong field). */
const SECRET_VALUE = /PRIVATE KEY|-----BEGIN|[A-Za-z0-9+/=_-]{64,}/;
const MAX_DEPTH = 8;
const MAX_ENTRIES = 50;
const MAX_STRING = 300;
const MAX_JSON = 2000;

function walk(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    if (SECRET_VALUE.test(value)) return '[redacted]';
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return `[nested deeper than ${MAX_DEPTH} levels]`;
  if (Array.isArray(value)) {
    const out = value.slice(0, MAX_ENTRIES).map((v) => walk(v, depth + 1));
    return value.length > MAX_ENTRIES ? [...out, `[${value.length - MAX_ENTRIES} more]`] : out;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries.slice(0, MAX_ENTRIES)) out[k] = SECRET_FIELD.test(k) ? '[redacted]' : walk(v, depth + 1);
  if (entries.length > MAX_ENTRIES) out['…'] = `${entries.length - MAX_ENTRIES} more fields`;
  return out;
}

/** The request body for the audit line: secrets redacted, at most 8 levels, 50 entries a level, 2,000 characters; never throws. */
export function auditDetails(body: unknown): unknown {
  if (!body || typeof body !== 'object') return null;
  // a raw body (an uploaded archive): its size only, never its bytes (it may hold private keys)
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return { bytes: body.byteLength };
  try {
    const clean = walk(body, 0);
    const json = JSON.stringify(clean);
    return json.length <= MAX_JSON ? clean : { truncated: json.slice(0, MAX_JSON) };
  } catch {
    return { unreadable: 'the body could not be summarized' };
  }
}
