/**
 * Who may download which generated file: admin.kubeconfig (both the control-plane one and the
 * workstation one) is a cluster-admin credential and follows the CA key's rule (admins, password
 * re-entered in a browser session, never an API token); the other kubeconfigs follow the rule of
 * the key they embed (operators); the encryption config is for admins. Every download, refused
 * or not, is in the audit log.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { AuditEntry } from '@kpki/shared';
import { PASSWORDS, useIdentities, type IdentitiesFixture } from './helpers/identities.ts';
import { untar } from './helpers/untar.ts';

const API = '/api/v1';

describe('access to the kubeconfigs and the encryption config', () => {
  const fx = useIdentities();
  // set before the tests: viewer, operator and admin are the sessions of vera, otto and ada (password not re-entered)
  let { app, cluster, who, viewer, operator, admin } = {} as IdentitiesFixture;
  const c = (p: string) => `${API}/clusters/${cluster}${p}`;
  const as = (headers: Record<string, string>, url: string) => app.rawInject({ method: 'GET', url, headers });
  const refused = async (headers: Record<string, string>, p: string, code: string) => {
    const res = await as(headers, c(p));
    expect(res.statusCode, p).toBe(403);
    expect(res.json().error.code, p).toBe(code);
    expect(res.body).not.toContain('client-key-data');
    return res.json().error.message as string;
  };
  const audit = async (): Promise<AuditEntry[]> => (await app.inject(`${API}/audit?limit=1000`)).json().items;

  beforeAll(() => void ({ app, cluster, who, viewer, operator, admin } = fx));

  test('a viewer lists the kubeconfigs but downloads none, nor the encryption config', async () => {
    const list = await as(viewer, c('/kubeconfigs'));
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(7);
    expect(list.body).not.toContain('client-key-data');
    for (const p of ['/kubeconfigs/worker1', '/kubeconfigs/kube-proxy', '/kubeconfigs/admin', '/encryption-config']) await refused(viewer, p, 'FORBIDDEN');
  });

  test('an operator downloads the component kubeconfigs, never admin.kubeconfig nor the encryption config', async () => {
    for (const name of ['worker1', 'worker2', 'kube-proxy', 'kube-controller-manager', 'kube-scheduler']) {
      const res = await as(operator, c(`/kubeconfigs/${name}`));
      expect(res.statusCode, name).toBe(200);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${name}.kubeconfig"`);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('client-key-data');
    }
    for (const name of ['admin', 'admin-workstation']) {
      expect(await refused(operator, `/kubeconfigs/${name}`, 'FORBIDDEN')).toContain('admin.kubeconfig (a cluster-admin credential');
    }
    expect(await refused(operator, '/encryption-config', 'FORBIDDEN')).toContain('admin');
    // a worker's bundle carries its kubeconfigs; a control-plane bundle (ca-key.pem, admin.kubeconfig) stays closed
    const bundle = await as(operator, c('/bundle.tar.gz?node=worker1'));
    expect(bundle.statusCode).toBe(200);
    expect([...(await untar(bundle.rawPayload)).keys()]).toEqual(expect.arrayContaining(['worker1.kubeconfig', 'kube-proxy.kubeconfig']));
    await refused(operator, '/bundle.tar.gz?node=cp1', 'FORBIDDEN');
  });

  test('an operator\'s token has the same rights', async () => {
    const token = await who['operator token'].headers();
    expect((await as(token, c('/kubeconfigs/kube-proxy'))).statusCode).toBe(200);
    await refused(token, '/kubeconfigs/admin-workstation', 'FORBIDDEN');
  });

  test('an admin downloads admin.kubeconfig only after re-entering the password; an admin token never', async () => {
    for (const name of ['admin', 'admin-workstation']) {
      expect(await refused(admin, `/kubeconfigs/${name}`, 'REAUTH_REQUIRED')).toContain('/session/reauth');
    }
    const token = await who['admin token'].headers();
    await refused(token, '/kubeconfigs/admin-workstation', 'REAUTH_REQUIRED');
    expect((await as(token, c('/encryption-config'))).statusCode).toBe(200); // admins only, no re-entry

    const ok = await app.rawInject({ method: 'POST', url: `${API}/session/reauth`, headers: admin, payload: { password: PASSWORDS.ada } });
    expect(ok.statusCode).toBe(200);
    const workstation = await as(admin, c('/kubeconfigs/admin-workstation'));
    expect(workstation.statusCode).toBe(200);
    expect(workstation.headers['content-disposition']).toBe('attachment; filename="admin.kubeconfig"');
    expect(workstation.body).toContain('server: https://192.168.56.20:6443');
    expect(workstation.body).toContain('current-context: kubernetes-the-hard-way');
    expect((await as(admin, c('/kubeconfigs/admin'))).body).toContain('server: https://127.0.0.1:6443');
    await refused(token, '/kubeconfigs/admin', 'REAUTH_REQUIRED'); // the elevation is the session's only
  });

  test('the audit log records every kubeconfig and encryption-config download, with who, which one and the result', async () => {
    // downloads of its own, allowed and refused, by each role
    await as(viewer, c('/kubeconfigs/worker1'));
    await as(operator, c('/kubeconfigs/worker1'));
    await as(operator, c('/kubeconfigs/admin'));
    await as(operator, c('/encryption-config'));
    const elevated = await who['elevated admin'].headers();
    await as(admin, c('/kubeconfigs/admin-workstation'));
    await as(elevated, c('/kubeconfigs/admin-workstation'));
    await as(elevated, c('/encryption-config'));
    const items = await audit();
    const find = (action: string, actor: string, name: string | null, result: string) =>
      items.find((e) => e.action === action && e.actor === actor && e.object === `cluster=${cluster}${name ? ` name=${name}` : ''}` && e.result === result);
    expect(find('download-kubeconfig', 'admin', 'admin-workstation', 'ok')).toBeDefined();
    expect(find('download-kubeconfig', 'ada', 'admin-workstation', 'failed (403)')).toBeDefined();
    expect(find('download-kubeconfig', 'otto', 'admin', 'failed (403)')).toBeDefined();
    expect(find('download-kubeconfig', 'otto', 'worker1', 'ok')).toBeDefined();
    expect(find('download-kubeconfig', 'vera', 'worker1', 'failed (403)')).toBeDefined();
    expect(find('download-encryption-config', 'otto', null, 'failed (403)')).toBeDefined();
    expect(find('download-encryption-config', 'admin', null, 'ok')).toBeDefined();
    expect(JSON.stringify(items)).not.toContain('client-key-data');
    // the list is a plain read: not audited
    expect(items.some((e) => e.action.startsWith('GET '))).toBe(false);
  });
});
