/**
 * The CA key's side doors (issue 8, item 1), against real sshd: a control-plane node redirected
 * to another machine (another fleet node's sshd) receives every file but ca-key.pem when the
 * distribution is started by an operator session, an operator token or an admin token (nor
 * admin.kubeconfig, a cluster-admin credential under the same rule); an admin who re-entered the
 * password delivers them, and the audit names the host and port.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Job, NodeStatus } from '@kpki/shared';
import { startFleet, type Fleet } from './support.ts';
import { ADMIN_PASSWORD, issuedCluster, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { bearer, createToken, createUser, signIn, type SessionHeaders } from './helpers/auth.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const CP_FILES = ['ca-key.pem', 'ca.pem', 'etcd-key.pem', 'etcd.pem', 'kube-controller-manager-key.pem', 'kube-controller-manager.pem',
  'kube-scheduler-key.pem', 'kube-scheduler.pem', 'kubernetes-key.pem', 'kubernetes.pem', 'service-account-key.pem', 'service-account.pem'];

describe('the CA key never leaves through distribution unless an elevated admin starts it', () => {
  let dataDir = '';
  let app: App;
  let fleet: Fleet;
  let cluster: string;
  let admin: SessionHeaders;
  let operator: SessionHeaders;
  const tokens: Record<string, string> = {};
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const as = (headers: Record<string, string>, method: string, url: string, payload?: object) =>
    app.rawInject({ method: method as 'GET', url: api(url), headers, ...(payload ? { payload } : {}) });
  const filesOn = (node: string) => fs.readdirSync(fleet.node(node).remoteDir).filter((f) => f.endsWith('.pem')).sort();
  const hasAdminKubeconfig = (node: string) => fs.existsSync(`${fleet.node(node).remoteDir}/admin.kubeconfig`);
  const elevate = async () => {
    const res = await app.rawInject({ method: 'POST', url: '/api/v1/session/reauth', headers: admin, payload: { password: ADMIN_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** The fleet node `target`'s sshd as the SSH settings of cluster node `node`. */
  const sshOf = (target: string) => {
    const n = fleet.node(target);
    return { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint };
  };
  const distribute = async (headers: Record<string, string>, nodes: string[]): Promise<Job> => {
    const res = await as(headers, 'POST', '/distributions', { nodes });
    expect(res.statusCode, res.body).toBe(202);
    return waitJob(app, res.json().jobId);
  };
  const audit = async () => (await app.rawInject({ url: '/api/v1/audit?limit=1000', headers: admin })).json().items as Array<Record<string, any>>;

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
    await createUser(app, 'otto', 'otto-password-1', 'operator');
    admin = await signIn(app, 'admin', ADMIN_PASSWORD, '127.0.0.2');
    operator = await signIn(app, 'otto', 'otto-password-1', '127.0.0.3');
    tokens.operator = (await createToken(app, 'otto-ci', operator)).token;
    tokens.admin = (await createToken(app, 'admin-ci')).token;
    const { publicKey } = (await app.inject(api('/ssh-key'))).json();
    // "evil" is a machine of the operator's: a real sshd that accepts the cluster's deploy key
    fleet = await startFleet({ nodes: ['cp1', 'cp2', 'worker1', 'evil'].map((name) => ({ name })), authorizedKeys: [publicKey] });
    await elevate();
    for (const n of ['cp1', 'cp2', 'worker1']) expect((await as(admin, 'PUT', `/nodes/${n}/ssh`, sshOf(n))).statusCode).toBe(200);
  });
  afterAll(async () => {
    await fleet?.stop();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('nobody but an elevated admin redirects a control-plane node; the refusal changes nothing', async () => {
    const before = JSON.stringify(app.deps.clusters.get(cluster));
    const cases: Array<[string, Record<string, string>, string]> = [
      ['operator session', operator, 'FORBIDDEN'], ['operator token', bearer(tokens.operator), 'FORBIDDEN'], ['admin token', bearer(tokens.admin), 'REAUTH_REQUIRED'],
    ];
    for (const [who, headers, code] of cases) {
      const res = await as(headers, 'PUT', '/nodes/cp1/ssh', sshOf('evil'));
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error.code, who).toBe(code);
      expect(res.json().error.message, who).toContain('ca-key.pem');
    }
    expect(JSON.stringify(app.deps.clusters.get(cluster))).toBe(before);
    // a worker's SSH target is not the CA key's way: the operator may change it
    expect((await as(operator, 'PUT', '/nodes/worker1/ssh', sshOf('worker1'))).statusCode).toBe(200);
  });

  test('an elevated admin\'s distribution delivers ca-key.pem and the audit names the host and port', async () => {
    await elevate();
    const job = await distribute(admin, ['cp1', 'cp2', 'worker1']);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.params).toMatchObject({ caKey: true, startedBy: 'admin' });
    expect(filesOn('cp1')).toEqual(CP_FILES);
    expect(hasAdminKubeconfig('cp1')).toBe(true);
    const sent = (await audit()).filter((e) => e.action === 'ca-key-sent');
    const adminSent = (await audit()).filter((e) => e.action === 'admin-kubeconfig-sent');
    for (const n of ['cp1', 'cp2']) {
      const { host, port } = fleet.node(n);
      expect(sent.find((e) => e.object === `cluster=${cluster} node=${n}`)?.details.message).toBe(`CA key sent to ${host}:${port} (${n})`);
      expect(adminSent.find((e) => e.object === `cluster=${cluster} node=${n}`)?.details.message).toBe(`admin.kubeconfig (cluster-admin credential) sent to ${host}:${port} (${n})`);
    }
    expect(sent.some((e) => e.object.endsWith('node=worker1'))).toBe(false);
  });

  test.each([
    ['an operator session', () => operator, 'started by otto, who is operator'],
    ['an operator token', () => bearer(tokens.operator), 'API token of otto'],
    ['an admin token', () => bearer(tokens.admin), 'API token of admin'],
    ['an admin session without the password re-entered', () => admin, 'without the password re-entered'],
  ])('redirected to another machine, a distribution started by %s delivers every file but ca-key.pem', async (_who, headers, reason) => {
    // the redirect itself needs the elevated admin: here it stands for a target changed earlier
    await elevate();
    expect((await as(admin, 'PUT', '/nodes/cp1/ssh', sshOf('evil'))).statusCode).toBe(200);
    app.deps.db.prepare("UPDATE sessions SET elevated_until = NULL").run();
    for (const f of fs.readdirSync(fleet.node('evil').remoteDir)) fs.rmSync(`${fleet.node('evil').remoteDir}/${f}`);
    const sentBefore = (await audit()).filter((e) => e.action === 'ca-key-sent').length;

    const job = await distribute(headers(), ['cp1']);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.params).toMatchObject({ caKey: false });
    expect(filesOn('evil')).toEqual(CP_FILES.filter((f) => f !== 'ca-key.pem'));
    expect(hasAdminKubeconfig('evil')).toBe(false);
    expect(fs.existsSync(`${fleet.node('evil').remoteDir}/kube-scheduler.kubeconfig`)).toBe(true);
    const outcome = (job.result!.nodes as Record<string, { state: string; caKeyWithheld?: string }>).cp1;
    expect(outcome.state).toBe('missing');
    expect(outcome.caKeyWithheld).toContain(reason);
    expect(job.log.find((l) => l.level === 'warn' && l.node === 'cp1')?.message).toMatch(new RegExp(`ca-key.pem and admin.kubeconfig left out.*${reason}`));
    const status = (await as(admin, 'GET', '/nodes/cp1/status')).json() as NodeStatus;
    expect(status.state).toBe('missing');
    expect(status.files.find((f) => f.file === 'ca-key.pem')!.state).toBe('missing');
    expect(status.caKeyWithheld?.reason).toContain(reason);
    expect(status.files.find((f) => f.file === 'admin.kubeconfig')!.state).toBe('missing');
    expect(status.caKeyWithheld?.files).toEqual(['ca-key.pem', 'admin.kubeconfig']);
    // a fresh look keeps the note while the file is missing
    expect(((await as(admin, 'POST', '/nodes/cp1/verify')).json() as NodeStatus).caKeyWithheld?.reason).toContain(reason);
    expect((await audit()).filter((e) => e.action === 'ca-key-sent')).toHaveLength(sentBefore);
    expect((await audit()).filter((e) => e.action === 'admin-kubeconfig-sent' && e.details.host === fleet.node('evil').host && e.details.port === fleet.node('evil').port)).toHaveLength(0);
  });

  test('a later distribution by an elevated admin delivers ca-key.pem to the new target and clears the note', async () => {
    await elevate();
    const job = await distribute(admin, ['cp1']);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(filesOn('evil')).toEqual(CP_FILES);
    expect((job.result!.nodes as Record<string, { uploaded: string[] }>).cp1.uploaded).toEqual(['ca-key.pem', 'admin.kubeconfig']);
    expect(hasAdminKubeconfig('evil')).toBe(true);
    const status = (await as(admin, 'GET', '/nodes/cp1/status')).json() as NodeStatus;
    expect(status.state).toBe('in-sync');
    expect(status.caKeyWithheld).toBeUndefined();
    const { host, port } = fleet.node('evil');
    const sent = (await audit()).find((e) => e.action === 'ca-key-sent');
    expect(sent).toMatchObject({ actor: 'admin', object: `cluster=${cluster} node=cp1`, result: 'ok' });
    expect(sent!.details).toMatchObject({ message: `CA key sent to ${host}:${port} (cp1)`, host, port, node: 'cp1' });
    const adminSent = (await audit()).find((e) => e.action === 'admin-kubeconfig-sent' && e.details.host === host && e.details.port === port);
    expect(adminSent).toMatchObject({ actor: 'admin', object: `cluster=${cluster} node=cp1`, result: 'ok' });
  });
});
