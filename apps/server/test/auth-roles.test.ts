/**
 * Roles: what a viewer, an operator and an admin may do with a browser session or an API token,
 * and the CA key rule (admins with the password re-entered in this session, for a limited time;
 * never an API token). The users come from helpers/identities.ts.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import { waitJob, type TestApp } from './helpers/app.ts';
import { neededRole, signIn } from './helpers/auth.ts';
import { PASSWORDS, useIdentities, type IdentitiesFixture } from './helpers/identities.ts';

const API = '/api/v1';
const ROLE_ORDER = ['viewer', 'operator', 'admin'];
const apiRoutes = (app: TestApp) => app.routeTable.filter((r) => r.url.startsWith(`${API}/`));

describe('roles', () => {
  const fx = useIdentities();
  // set before the tests: viewer, operator and admin are the sessions of vera, otto and ada (password not re-entered)
  let { app, cluster, who, viewer, operator, admin } = {} as IdentitiesFixture;
  const c = (p: string) => `${API}/clusters/${cluster}${p}`;
  const as = (headers: Record<string, string>, method: string, url: string, payload?: unknown) =>
    app.rawInject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(() => void ({ app, cluster, who, viewer, operator, admin } = fx));

  /** Every route that needs more than `role` answers 403 FORBIDDEN to it (nothing runs). */
  async function walkForbidden(headers: Record<string, string>, role: string): Promise<number> {
    const ids: Record<string, string> = { job: '00000000-0000-0000-0000-000000000000', user: '1', token: 'none' };
    let walked = 0;
    const failures: string[] = [];
    for (const r of apiRoutes(app)) {
      const need = neededRole(r);
      if (need === 'public' || ROLE_ORDER.indexOf(need) <= ROLE_ORDER.indexOf(role)) continue;
      const url = r.url.replace(':cluster', cluster).replace(':name', 'admin').replace(':node', 'worker1')
        .replace(':id', r.url.includes('/jobs') ? ids.job : r.url.includes('/users') ? ids.user : ids.token);
      const res = await as(headers, r.method, url, ['GET', 'HEAD'].includes(r.method) ? undefined : {});
      walked++;
      if (res.statusCode !== 403 || (r.method !== 'HEAD' && res.json().error.code !== 'FORBIDDEN')) failures.push(`${r.method} ${url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      else if (r.method !== 'HEAD') expect(res.json().error.message).toContain(need);
    }
    expect(failures).toEqual([]);
    return walked;
  }

  test('a viewer reads everything but the keys', async () => {
    for (const p of ['', '/plan', '/certificates', '/certificates/kubernetes', '/certificates/admin/cert.pem', '/nodes', '/ssh-key', '/issuances']) {
      expect((await as(viewer, 'GET', c(p))).statusCode, p).toBe(200);
    }
    expect((await as(viewer, 'GET', `${API}/jobs`)).statusCode).toBe(200);
  });

  test('a viewer may not write anything, nor download a key or a bundle (403 FORBIDDEN on every such route)', async () => {
    const walked = await walkForbidden(viewer, 'viewer');
    expect(walked).toBeGreaterThanOrEqual(23); // own tokens (POST/DELETE /tokens) are a viewer's too
    for (const p of ['/certificates/admin/key.pem', '/certificates/worker1/key.pem', '/certificates/ca/key.pem', '/bundle.tar.gz', '/bundle.tar.gz?node=worker1']) {
      const res = await as(viewer, 'GET', c(p));
      expect(res.statusCode, p).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect(res.body).not.toContain('PRIVATE KEY');
    }
  });

  test('an operator may not administer users, other users\' tokens, the audit log or backups', async () => {
    const walked = await walkForbidden(operator, 'operator');
    expect(walked).toBeGreaterThanOrEqual(8);
  });

  test('an operator issues, distributes and downloads leaf keys and node bundles', async () => {
    const iss = await as(operator, 'POST', c('/issuances'));
    expect(iss.statusCode, iss.body).toBe(202);
    expect((await waitJob(app, iss.json().jobId)).status).toBe('succeeded');
    const dist = await as(operator, 'POST', c('/distributions'), {});
    expect(dist.statusCode, dist.body).toBe(202); // the nodes have no SSH settings: the job fails per node, but it was allowed
    await waitJob(app, dist.json().jobId);
    for (const name of ['admin', 'worker1', 'kubernetes', 'service-account']) {
      const key = await as(operator, 'GET', c(`/certificates/${name}/key.pem`));
      expect(key.statusCode, name).toBe(200);
      expect(key.body).toMatch(/^-----BEGIN (RSA )?PRIVATE KEY-----/);
    }
    const bundle = await as(operator, 'GET', c('/bundle.tar.gz?node=worker1'));
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toBe('application/gzip');
  });

  test('an operator never gets the CA key: not alone, not in a bundle', async () => {
    for (const p of ['/certificates/ca/key.pem', '/bundle.tar.gz', '/bundle.tar.gz?node=cp1']) {
      const res = await as(operator, 'GET', c(p));
      expect(res.statusCode, p).toBe(403);
      expect(res.json().error.code, p).toBe('FORBIDDEN');
      expect(res.json().error.message).toContain('admin');
    }
    expect((await as(operator, 'POST', `${API}/session/reauth`, { password: PASSWORDS.otto })).json().error.code).toBe('FORBIDDEN');
  });

  test('an admin gets the CA key only after re-entering the password, for a limited time', async () => {
    const before = await as(admin, 'GET', c('/certificates/ca/key.pem'));
    expect(before.statusCode).toBe(403);
    expect(before.json().error.code).toBe('REAUTH_REQUIRED');
    expect(before.json().error.message).toContain('/session/reauth');
    const wrong = await as(admin, 'POST', `${API}/session/reauth`, { password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await as(admin, 'GET', c('/certificates/ca/key.pem'))).statusCode).toBe(403);

    const ok = await as(admin, 'POST', `${API}/session/reauth`, { password: PASSWORDS.ada });
    expect(ok.statusCode, ok.body).toBe(200);
    const key = await as(admin, 'GET', c('/certificates/ca/key.pem'));
    expect(key.statusCode).toBe(200);
    const cert = await as(admin, 'GET', c('/certificates/ca/cert.pem'));
    const pub = new crypto.X509Certificate(cert.body).publicKey.export({ type: 'spki', format: 'der' });
    expect(crypto.createPublicKey(crypto.createPrivateKey(key.body)).export({ type: 'spki', format: 'der' })).toEqual(pub);
    expect((await as(admin, 'GET', c('/bundle.tar.gz'))).statusCode).toBe(200);

    // the elevation belongs to this session only (not to another session of the same admin), and it ends
    const elsewhere = await signIn(app, 'ada', PASSWORDS.ada, '127.0.6.1');
    expect((await as(elsewhere, 'GET', c('/certificates/ca/key.pem'))).json().error.code).toBe('REAUTH_REQUIRED');
    app.deps.db.prepare("UPDATE sessions SET elevated_until = '2000-01-01T00:00:00.000Z' WHERE elevated_until IS NOT NULL").run();
    expect((await as(admin, 'GET', c('/certificates/ca/key.pem'))).json().error.code).toBe('REAUTH_REQUIRED');
  });

  test('API tokens never get the CA key, even an admin\'s', async () => {
    const h = await who['admin token'].headers();
    expect((await as(h, 'GET', c('/certificates/admin/key.pem'))).statusCode).toBe(200);
    for (const p of ['/certificates/ca/key.pem', '/bundle.tar.gz', '/bundle.tar.gz?node=cp2']) {
      const res = await as(h, 'GET', c(p));
      expect(res.statusCode, p).toBe(403);
      expect(res.json().error.code).toBe('REAUTH_REQUIRED');
    }
    const re = await as(h, 'POST', `${API}/session/reauth`, { password: PASSWORDS.ada });
    expect(re.statusCode).toBe(403);
    expect(re.json().error.message).toContain('API tokens never download the CA key');
    expect((await as(h, 'GET', c('/certificates/ca/key.pem'))).statusCode).toBe(403);
  });

  test('an operator\'s token has the operator\'s rights', async () => {
    const token = await who['operator token'].headers();
    expect((await as(token, 'GET', c('/certificates/worker2/key.pem'))).statusCode).toBe(200);
    expect((await as(token, 'GET', `${API}/users`)).json().error.code).toBe('FORBIDDEN');
  });
});
