/**
 * A small fetch client for a kpki server process (support.ts startServer): a signed-in admin
 * sending JSON with the session cookie and CSRF token.
 */
import { SERVER_PASSWORD, waitJob } from '../support.ts';

/** A signed-in admin over HTTP: JSON requests with the session cookie and CSRF token. */
export interface Client {
  headers: Record<string, string>;
  req(method: string, url: string, body?: unknown): Promise<{ status: number; json: any; text: string }>;
  get(url: string): Promise<any>;
}

/**
 * Signs in over HTTP. With `elevate`, the client re-enters the password before a write whenever
 * less than a minute of the last re-entry is left (what an admin does before moving the CA key).
 */
export async function signInHttp(base: string, username = 'admin', password = SERVER_PASSWORD, opts: { elevate?: boolean } = {}): Promise<Client> {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kpki_session='))!.split(';')[0];
  const headers = { cookie, 'x-csrf-token': (await res.json()).csrfToken as string };
  let elevatedUntil = 0;
  const req = async (method: string, url: string, body?: unknown): Promise<{ status: number; json: any; text: string }> => {
    if (opts.elevate && method !== 'GET' && url !== '/session/reauth' && elevatedUntil - Date.now() < 60_000) {
      const r = await req('POST', '/session/reauth', { password });
      if (r.status !== 200) throw new Error(`reauth failed: ${r.status} ${r.text}`);
      elevatedUntil = Date.parse(r.json.elevatedUntil);
    }
    const r = await fetch(`${base}/api/v1${url}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: r.status, json, text };
  };
  return {
    headers,
    req,
    async get(url: string) {
      const r = await req('GET', url);
      if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.text.slice(0, 300)}`);
      return r.json;
    },
  };
}

/** Polls a job of a server process every 100 ms until it ends (support.ts waitJob). */
export function waitJobHttp(client: Client, jobId: string, timeoutMs = 180_000): Promise<any> {
  return waitJob((id) => client.get(`/jobs/${id}`), jobId, { timeoutMs, intervalMs: 100 });
}
