/**
 * A read of many nodes' states (issue 16, pages at scale): past 20 nodes the reader takes every
 * node's last look, every current certificate and generated file in one query each, once per
 * read. It must judge every node exactly as a read of that node alone does, and the next read
 * must see every write since: a new look, a renewal, a topology change (the plan is built once per
 * topology, services/plans.ts).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { NodeStatus, NodeSummary } from '@kpki/shared';
import { statusReader, targetOf, expectedFiles } from '../src/services/node-status.ts';
import type { NodeObservation } from '../src/store/clusters.repository.ts';
import { issuedCluster, reauth, useTestApp, waitJob } from './helpers/app.ts';

const EXTRA = 22;
/** SSH settings that are data only: nothing here dials them */
const SSH = { host: '127.0.0.1', port: 1, user: 'kpki', hostKey: `SHA256:${'A'.repeat(43)}` };

describe('node states of a cluster of more than 20 nodes, read at once and node by node', () => {
  const fx = useTestApp();
  let cluster: string;
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const deps = () => fx.app.deps;
  const row = () => deps().clusters.get(cluster)!;
  /** node -> state through GET .../nodes (the bulk read), each also equal to GET .../nodes/{node}/status (that node alone) */
  const states = async (): Promise<Record<string, NodeStatus>> => {
    const list = (await fx.app.inject(api('/nodes'))).json().items as NodeSummary[];
    expect(list.length).toBeGreaterThan(20);
    for (const n of list) expect((await fx.app.inject(api(`/nodes/${n.name}/status`))).json()).toEqual(n.status);
    return Object.fromEntries(list.map((n) => [n.name, n.status]));
  };
  /** Records a look at `node` holding what it must hold now, changed by `change` (file -> content or null when absent). */
  const look = (node: string, change: (files: NonNullable<NodeObservation['seen']>['files']) => void = () => {}) => {
    const r = row();
    const n = r.input.nodes.find((x) => x.name === node)!;
    const files: NonNullable<NodeObservation['seen']>['files'] = {};
    for (const e of expectedFiles(deps(), r, node, false)) files[e.file] = { sha256: e.sha256, mode: e.mode };
    change(files);
    deps().clusters.setObservation(r.id, node, { seen: { at: deps().now().toISOString(), target: targetOf(r.input, n)!, remoteDir: '/home/kpki', files, listing: Object.keys(files).filter((f) => files[f]) }, failure: null });
  };

  beforeAll(async () => {
    await reauth(fx.app);
    cluster = await issuedCluster(fx.app, (c) => {
      c.nodes.push(...Array.from({ length: EXTRA }, (_, i) => ({ name: `extra${i + 1}`, role: 'worker', addresses: [`10.240.1.${i + 1}`] })));
    });
    const r = row();
    deps().clusters.setSshMany(r.id, r.input.nodes.map((n) => ({ node: n.name, ssh: SSH })), deps().now().toISOString());
    const first = new Map(deps().certificates.listCurrent(r.id).map((c) => [c.name, c]));
    // extra1 keeps the first issuance's certificate, key and kubeconfig (stale after the re-issue below)
    look('extra1');
    const again = await fx.app.inject({ method: 'POST', url: api('/issuances') });
    expect((await waitJob(fx.app, again.json().jobId)).status).toBe('succeeded');
    for (const n of row().input.nodes) if (n.name !== 'extra1' && n.name !== 'extra9') look(n.name);
    look('extra2', (f) => void (f['extra2-key.pem'] = null));
    look('extra5', (f) => void (f['extra5-key.pem'] = { ...f['extra5-key.pem']!, mode: 0o644 }));
    look('extra6', (f) => void (f['extra6.pem'] = { sha256: 'f'.repeat(64), mode: 0o644 }));
    look('extra7', (f) => void (f['extra7.pem'] = { sha256: first.get('extra8')!.pemSha256, mode: 0o644 }));
    const n3 = row().input.nodes.find((n) => n.name === 'extra3')!;
    deps().clusters.setObservation(row().id, 'extra3', { seen: null, failure: { at: deps().now().toISOString(), target: targetOf(row().input, n3)!, code: 'SSH_UNREACHABLE', message: 'no answer' } });
    const n4 = row().input.nodes.find((n) => n.name === 'extra4')!;
    const other = JSON.stringify(['kpki', '127.0.0.2', 1, '', SSH.hostKey]); // a look at another target says nothing of this one
    deps().clusters.setObservation(row().id, 'extra4', { seen: { at: deps().now().toISOString(), target: other, remoteDir: '/x', files: {}, listing: [] }, failure: null });
    expect(targetOf(row().input, n4)).not.toBe(other);
  });

  test('every node judged alike in one read of all and in a read of itself, each kind of state among them', async () => {
    const r = row();
    const all = statusReader(deps(), r);
    const alone = (n: string) => statusReader(deps(), r, undefined, false)(n);
    for (const n of r.input.nodes) expect(all(n.name)).toEqual(alone(n.name));
    const s = await states();
    expect(s.extra1.state).toBe('stale');
    // the re-issue renewed every leaf: what extra1 held of the first issuance is stale, the CA (not re-issued) in sync
    expect(s.extra1.files.filter((f) => f.state === 'stale').map((f) => f.file).sort()).toEqual(['extra1-key.pem', 'extra1.kubeconfig', 'extra1.pem', 'kube-proxy-key.pem', 'kube-proxy.kubeconfig', 'kube-proxy.pem']);
    expect(s.extra1.files.find((f) => f.file === 'ca.pem')?.state).toBe('in-sync');
    expect(s.extra2.state).toBe('missing');
    expect(s.extra3.state).toBe('unreachable');
    expect(s.extra4.state).toBe('not-checked');
    expect(s.extra5.state).toBe('mode');
    expect(s.extra6.state).toBe('foreign');
    expect(s.extra7.files.find((f) => f.file === 'extra7.pem')?.reason?.message).toMatch(/this is extra8\.pem \(an earlier version/);
    expect(s.extra9.state).toBe('not-checked');
    expect(s.extra10.state).toBe('in-sync');
  });

  test('the next read sees a new look, a renewal and a topology change', async () => {
    look('extra1');
    look('extra9');
    expect((await states()).extra1.state).toBe('in-sync');

    const renewal = await fx.app.inject({ method: 'POST', url: api('/renewals'), payload: { certificates: ['extra10'] } });
    expect(renewal.statusCode, renewal.body).toBe(202);
    expect((await waitJob(fx.app, renewal.json().jobId)).status).toBe('succeeded');
    const s = await states();
    expect(s.extra10.state).toBe('stale');
    expect(s.extra10.files.filter((f) => f.state === 'stale').map((f) => f.file).sort()).toEqual(['extra10-key.pem', 'extra10.kubeconfig', 'extra10.pem']);
    expect(s.extra9.state).toBe('in-sync');

    // a new address for extra11: its certificate is planned anew (the plan of the new topology), its files not issued yet
    const input = structuredClone(row().input);
    input.nodes.find((n) => n.name === 'extra11')!.addresses = ['10.240.9.11'];
    input.nodes.push({ name: 'extra23', role: 'worker', addresses: ['10.240.1.23'], ssh: SSH });
    await reauth(fx.app);
    const put = await fx.app.inject({ method: 'PUT', url: api(''), payload: input });
    expect(put.statusCode, put.body).toBe(200);
    const plan = (await fx.app.inject(api('/plan'))).json();
    expect(plan.certificates.find((c: { name: string }) => c.name === 'extra11').sans.map((x: { value: string }) => x.value)).toContain('10.240.9.11');
    const list = (await fx.app.inject(api('/nodes'))).json().items as NodeSummary[];
    const extra23 = list.find((n) => n.name === 'extra23')!;
    expect(extra23.expectedFiles).toBe(plan.files.extra23.length);
    expect(extra23.status.files.find((f) => f.file === 'extra23.pem')).toMatchObject({ expectedSha256: '', state: 'unknown' });
    await states();
  });
});
