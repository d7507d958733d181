/**
 * The HTTP client of the command line: `Authorization: Bearer <token>` on every request to
 * `<url>/api/v1`, errors turned into ApiFailure with the API's stable code.
 */
import type { ErrorCode } from '@kpki/shared/api/errors';

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: ErrorCode | 'NETWORK_ERROR' | `HTTP_${number}`, message: string, readonly details?: unknown) {
    super(message);
  }
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  accept?: string;
  headers?: Record<string, string>;
}

export class Api {
  constructor(readonly url: string, private readonly token: string | null) {}

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const qs = new URLSearchParams(Object.entries(opts.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', ...opts.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.url}/api/v1${path}${qs ? `?${qs}` : ''}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiFailure(0, 'NETWORK_ERROR', `cannot reach kpki at ${this.url} (${cause?.code ?? cause?.message ?? (err as Error).message})`);
    }
    if (!res.ok) {
      const text = await res.text();
      let body: { error?: { code?: ErrorCode; message?: string; details?: unknown } } | null = null;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      throw new ApiFailure(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? `${method} ${path}: the server answered ${res.status}`, body?.error?.details);
    }
    return res;
  }

  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, opts);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.json<T>('GET', path, { query });
  }
}

/** Encodes one path segment (cluster, node and certificate names). */
export const seg = encodeURIComponent;
