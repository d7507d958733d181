/**
 * The one fetch wrapper of the web app. Every call goes to /api/v1, sends cookies
 * (same-origin), adds the CSRF header on writes, and turns an error answer
 * `{error: {code, message, details}}` into an ApiError.
 */
import { getCsrfToken, markUnauthenticated, resetCsrfToken } from './session.ts';

export const API_BASE = '/api/v1';

/** One entry of `error.details` on a 400: a JSON pointer into the request body. */
export interface FieldIssue {
  path: string;
  code?: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The field issues of a validation error, [] when there are none. */
  get fieldIssues(): FieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldIssue => typeof d === 'object' && d !== null && typeof d.path === 'string' && typeof d.message === 'string',
    );
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** a body sent as it is (an uploaded file) with its media type, instead of JSON */
  raw?: { data: Blob; type: string };
  signal?: AbortSignal;
  /** the version the write is based on (an ETag): the server answers 412 PRECONDITION_FAILED when it is stale */
  ifMatch?: string;
}

/** Builds `/api/v1<path>` with an optional query (undefined values are left out). */
export function apiUrl(path: string, query?: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, value);
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

/** Encodes one path segment (cluster, node, certificate names). */
export const seg = encodeURIComponent;

async function send(url: string, req: ApiRequest): Promise<Response> {
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.raw) headers['content-type'] = req.raw.type;
  else if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.ifMatch) headers['if-match'] = req.ifMatch;
  if (method !== 'GET') {
    const token = await getCsrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  try {
    return await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: req.raw ? req.raw.data : req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: req.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', 'The kpki server cannot be reached. Is it running?');
  }
}

async function toError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
  const code = body?.error?.code ?? `HTTP_${res.status}`;
  const message = body?.error?.message ?? (res.statusText || `The server answered ${res.status}.`);
  return new ApiError(res.status, code, message, body?.error?.details);
}

/** Calls the API and returns the parsed JSON (undefined for 204). Throws ApiError. */
export async function apiFetch<T>(path: string, req: ApiRequest = {}, query?: Record<string, string | undefined>): Promise<T> {
  return (await apiFetchVersioned<T>(path, req, query)).data;
}

/** apiFetch, and the answer's `ETag` (the version of what it returned; null when it has none). */
export async function apiFetchVersioned<T>(path: string, req: ApiRequest = {}, query?: Record<string, string | undefined>): Promise<{ data: T; etag: string | null }> {
  const url = apiUrl(path, query);
  let res = await send(url, req);
  if (res.status === 403 && (req.method ?? 'GET') !== 'GET') {
    const err = await toError(res.clone());
    if (err.code === 'CSRF_INVALID') {
      resetCsrfToken();
      res = await send(url, req);
    }
  }
  if (!res.ok) {
    const err = await toError(res);
    // a wrong password (sign-in, re-entry, own password change) is 401 INVALID_CREDENTIALS too: not a lost session
    if (res.status === 401 && err.code !== 'INVALID_CREDENTIALS') markUnauthenticated();
    throw err;
  }
  const etag = res.headers.get('etag');
  if (res.status === 204) return { data: undefined as T, etag };
  const text = await res.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, etag };
}

/** Retry policy for queries: never retry a 4xx, retry others once. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 1;
}
