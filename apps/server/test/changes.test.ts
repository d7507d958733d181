/**
 * Changes that touch only what changed (issue 10), against a fleet of real sshd nodes: the
 * preset plus a third control-plane node re-issues exactly the certificates whose SANs name
 * control-plane nodes and writes to control-plane nodes only (workers keep their files'
 * mtimes); removing a worker retires its certificate and writes to no node; a change of the CA
 * is refused (CA rotation); nothing to do is an answer; an apply during a distribution waits; a
 * moved load balancer rewrites the workers' kubeconfigs, and the changes name the move as the reason.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { CertificateSummary, ChangeSet, Cluster, Job, LifecycleAnswer } from '@kpki/shared';
import { reauth, waitJob, type TestApp } from './helpers/app.ts';
import { useFleetCluster, type FleetCluster } from './helpers/fleet-cluster.ts';
import { requireTool, runOk } from './helpers/tools.ts';

const WORKERS = ['worker1', 'worker2'];
const CONTROL_PLANES = ['cp1', 'cp2', 'cp3'];

describe('changes of the topology', () => {
  beforeAll(() => requireTool('/usr/bin/openssl', 'openssl'));
  const fx = useFleetCluster({ fleetNodes: [...CONTROL_PLANES, ...WORKERS], distribute: true });
  let app: TestApp;
  let fc: FleetCluster;
  const get = async <T = any>(url: string): Promise<T> => (await app.inject(fc.api(url))).json() as T;
  const topology = async () => {
    const { createdAt: _c, updatedAt: _u, hasCa: _h, caNotAfter: _n, ...input } = await get<Cluster>('');
    return input;
  };
  const putTopology = async (change: (c: any) => void) => {
    await reauth(app); // adding a control-plane node is the CA key's way: the admin re-entered the password
    const c = await topology();
    change(c);
    const res = await app.inject({ method: 'PUT', url: fc.api(''), payload: c });
    expect(res.statusCode, res.body).toBe(200);
  };
  const apply = async (body: object = {}) => {
    await reauth(app); // so that a new control-plane node receives ca-key.pem too
    const res = await app.inject({ method: 'POST', url: fc.api('/changes/apply'), payload: body });
    return { status: res.statusCode, body: res.json() as LifecycleAnswer & { error?: { code: string; message: string } } };
  };
  const kinds = (set: ChangeSet) => Object.fromEntries((['new', 'outdated', 'retired', 'unchanged'] as const).map((k) => [k, set.certificates.filter((c) => c.change === k).map((c) => c.name).sort()]));
  const allMtimes = () => Object.fromEntries([...CONTROL_PLANES, ...WORKERS].map((n) => [n, fc.mtimes(n)]));

  beforeAll(() => {
    ({ app, fc } = fx);
  });

  test('nothing changed: the answer says so, and no job starts', async () => {
    const set = await get<ChangeSet>('/changes');
    expect(set).toMatchObject({ nothingToDo: true, nodes: [], counts: { new: 0, outdated: 0, retired: 0, unchanged: 9 } });
    expect(set.ca.change).toBe('unchanged');
    const jobs = (await app.inject('/api/v1/jobs')).json().items.length;
    const res = await apply({ distribute: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jobId: null, certificates: [], retired: [], nodes: [] });
    expect(res.body.message).toMatch(/^nothing to apply/);
    expect((await app.inject('/api/v1/jobs')).json().items.length).toBe(jobs);
  });

  test('a third control-plane node: exactly the certificates naming control-plane nodes outdated, written to control-plane nodes only', async () => {
    await putTopology((c) => c.nodes.push({ name: 'cp3', role: 'control-plane', addresses: ['192.168.56.25'] }));
    await fc.pin('cp3');
    const set = await get<ChangeSet>('/changes');
    expect(kinds(set)).toEqual({
      new: [], outdated: ['etcd', 'kubernetes'], retired: [],
      unchanged: ['admin', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'service-account', 'worker1', 'worker2'],
    });
    expect(set.ca.change).toBe('unchanged');
    const api = set.certificates.find((c) => c.name === 'kubernetes')!;
    expect(api.differences.map((d) => d.reason)).toEqual(['SAN 192.168.56.25 added: control-plane node cp3: an API server runs here']);
    expect(set.certificates.find((c) => c.name === 'etcd')!.differences.map((d) => `${d.change} ${d.to}`)).toEqual(['added cp3', 'added 192.168.56.25']);
    expect(set.nodes.map((n) => n.node)).toEqual(CONTROL_PLANES);
    for (const cp of ['cp1', 'cp2']) {
      expect(set.nodes.find((n) => n.node === cp)!.files.map((f) => f.file)).toEqual(['kubernetes.pem', 'kubernetes-key.pem', 'etcd.pem', 'etcd-key.pem']);
    }
    const cp3Files = set.nodes.find((n) => n.node === 'cp3')!.files;
    expect(cp3Files.filter((f) => f.reason === 'the node has not received it yet').map((f) => f.certificate)).not.toContain('kubernetes');
    expect(cp3Files.map((f) => f.file)).toEqual(expect.arrayContaining(['ca.pem', 'kubernetes.pem', 'etcd.pem', 'service-account.pem', 'kube-scheduler-key.pem']));

    const workers = Object.fromEntries(WORKERS.map((w) => [w, fc.mtimes(w)]));
    const before = Object.fromEntries((await get<{ items: CertificateSummary[] }>('/certificates')).items.map((c) => [c.name, c.serial]));
    const res = await apply({ distribute: true });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ certificates: ['kubernetes', 'etcd'], retired: [], nodes: CONTROL_PLANES, caRotation: null });
    const job = await waitJob(app, res.body.jobId!);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.type).toBe('apply');
    expect(Object.keys(job.result!.nodes as object).sort()).toEqual(CONTROL_PLANES);
    expect(new Set(job.log.filter((l) => l.node).map((l) => l.node))).toEqual(new Set(CONTROL_PLANES));
    const uploaded = (n: string) => ((job.result!.nodes as Record<string, { uploaded: string[] }>)[n].uploaded).sort();
    expect(uploaded('cp1')).toEqual(['etcd-key.pem', 'etcd.pem', 'kubernetes-key.pem', 'kubernetes.pem']);
    for (const w of WORKERS) expect(fc.mtimes(w), w).toEqual(workers[w]);

    const after = Object.fromEntries((await get<{ items: CertificateSummary[] }>('/certificates')).items.map((c) => [c.name, c.serial]));
    for (const name of Object.keys(before)) expect(after[name] !== before[name], name).toBe(['kubernetes', 'etcd'].includes(name));
    // what cp1 now holds is the new certificate, with the new SAN (read by openssl from the node's folder)
    const text = (await runOk('/usr/bin/openssl', ['x509', '-in', path.join(fc.dirOf('cp1'), 'kubernetes.pem'), '-noout', '-serial', '-ext', 'subjectAltName'])).stdout;
    expect(text).toContain(`serial=${after.kubernetes.toUpperCase()}`);
    expect(text).toContain('IP Address:192.168.56.25');
    for (const n of [...CONTROL_PLANES, ...WORKERS]) expect((await fc.verify(n)).state, n).toBe('in-sync');
    expect((await get<ChangeSet>('/changes')).nothingToDo).toBe(true);
  });

  test('removing a worker retires its certificate and writes to no node; its files stay where they are', async () => {
    const mtimes = allMtimes();
    const serial = (await get(`/certificates/worker2`)).serial as string;
    await putTopology((c) => (c.nodes = c.nodes.filter((n: { name: string }) => n.name !== 'worker2')));
    const set = await get<ChangeSet>('/changes');
    expect(kinds(set)).toMatchObject({ new: [], outdated: [], retired: ['worker2'] });
    expect(set.nodes).toEqual([]);
    const res = await apply({ distribute: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jobId: null, retired: ['worker2'], certificates: [], nodes: [] });
    const all = (await get<{ items: CertificateSummary[] }>('/certificates?status=all')).items;
    expect(all.find((c) => c.name === 'worker2' && c.serial === serial)!.status).toBe('retired');
    expect((await get<{ items: CertificateSummary[] }>('/certificates')).items.map((c) => c.name)).not.toContain('worker2');
    expect(allMtimes()).toEqual(mtimes);
    expect(fs.readdirSync(fc.dirOf('worker2'))).toContain('worker2.pem');
    // the retired version is still downloadable by serial
    expect((await app.inject(fc.api(`/certificates/worker2/cert.pem?serial=${serial}`))).statusCode).toBe(200);
    expect((await get<ChangeSet>('/changes')).nothingToDo).toBe(true);
  });

  test('a change of the CA itself is not applied: the answer says it needs a CA rotation', async () => {
    await putTopology((c) => (c.caValidityHours = 43801));
    const set = await get<ChangeSet>('/changes');
    expect(set.ca.change).toBe('rotation-required');
    expect(set.nothingToDo).toBe(true);
    const certs = (await get<{ items: unknown[] }>('/certificates?status=all')).items.length;
    const res = await apply({ distribute: true });
    expect(res.status).toBe(409);
    expect(res.body.error!.code).toBe('CA_ROTATION_REQUIRED');
    expect(res.body.error!.message).toMatch(/CA rotation/);
    expect((await get<{ items: unknown[] }>('/certificates?status=all')).items.length).toBe(certs);
    await putTopology((c) => (c.caValidityHours = 43800));
  });

  test('an apply while a distribution of the same cluster runs waits for the node locks, then writes', async () => {
    for (const cp of ['cp1', 'cp2']) for (const f of ['ca.pem', 'kube-scheduler.pem']) fs.rmSync(path.join(fc.dirOf(cp), f));
    await putTopology((c) => (c.nodes.find((n: { role: string }) => n.role === 'load-balancer').addresses = ['192.168.56.30']));
    // the worker's kubeconfigs name the load balancer: they are written, and the changes say why (not "an earlier version")
    const moved = 'server address changed: load balancer lb moved from 192.168.56.20 to 192.168.56.30';
    expect((await get<ChangeSet>('/changes')).nodes.find((n) => n.node === 'worker1')!.files.map((f) => `${f.file}: ${f.reason}`))
      .toEqual([`worker1.kubeconfig: ${moved}`, `kube-proxy.kubeconfig: ${moved}`]);
    const dist = await app.inject({ method: 'POST', url: fc.api('/distributions'), payload: { nodes: ['cp1', 'cp2'] } });
    const res = await apply({ distribute: true });
    expect(res.status).toBe(202);
    expect(res.body.certificates).toEqual(['kubernetes']);
    const [d, a] = await Promise.all([waitJob(app, dist.json().jobId), waitJob(app, res.body.jobId!)]) as [Job, Job];
    expect(d.status).toBe('succeeded');
    expect(a.status, JSON.stringify(a.error)).toBe('succeeded');
    // the apply wrote to cp1 only after the distribution was done with it
    const lastOfDist = d.log.filter((l) => l.node === 'cp1').at(-1)!.at;
    const firstOfApply = a.log.find((l) => l.node === 'cp1')!.at;
    expect(firstOfApply >= lastOfDist).toBe(true);
    for (const cp of CONTROL_PLANES) expect((await fc.verify(cp)).state, cp).toBe('in-sync');
    expect(fs.readdirSync(fc.dirOf('cp1'))).toContain('ca.pem');
  });
});
