/**
 * kpki's link check agrees with real components, case by case. A cluster whose nodes are fleet
 * nodes (their loopback addresses are the topology's addresses; the load balancer gets an unused
 * one of the same range) is issued and distributed; each case breaks files in the fleet's
 * folders, kpki verifies the nodes and checks the deployed links, and the same files are handed
 * to real etcd and etcdctl (API server to etcd, etcd peers) and to real kubectl against a
 * loopback stand-in of the API server or kubelet (every other link). kpki's verdict must equal
 * the real outcome for every link, and its first reason must name the same failure as the real
 * error (word for word after the time, when the real error is Go's).
 *
 * Real outcomes are cached by the content of the files involved: a link whose files did not
 * change since an earlier case is not run again. KPKI_SHOW_AGREEMENT=1 prints both sides of
 * every link.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ClusterInput, LinkEdge, LinksResponse, PlannedCertificate } from '@kpki/shared';
import { hardWayPreset } from '@kpki/shared/preset';
import { startFleet, type Fleet } from './support.ts';
import { issueCertificate } from '../src/pki/index.ts';
import { reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { ETCD, ETCDCTL, type TlsFiles } from './helpers/etcd.ts';
import { issueCluster } from './helpers/pki.ts';
import { etcdClientOutcomes, etcdPeerOutcomes, KUBECTL, kubectlOutcomes, type RealOutcome } from './helpers/real-links.ts';
import { removeDir, requireTool, tmpDir } from './helpers/tools.ts';

const FLEET = ['cp1', 'cp2', 'worker1'];
const ALG = 'ecdsa-p256';

/** The failure a real error names, as kpki's reason codes. */
const KINDS: Array<[string, RegExp]> = [
  ['key-mismatch', /private key does not match public key|key values mismatch/],
  ['expired', /has expired or is not yet valid|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/],
  ['hostname', /certificate is valid for|not valid for any names|doesn't contain any IP SANs|does not match any of DNSNames/],
  ['unknown-authority', /signed by unknown authority|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_SIGNATURE_FAILURE/],
  ['incompatible-usage', /incompatible key usage|INVALID_PURPOSE|unsupported certificate purpose/],
  ['identity', /^identity: /],
];
const kindOf = (text: string) => KINDS.find(([, re]) => re.test(text))?.[0] ?? `unrecognised: ${text}`;
const sameTime = (s: string) => s.replace(/current time \S+ is/, 'current time <t> is');

describe('the link check agrees with real etcd, etcdctl and kubectl', () => {
  let dataDir = '';
  let work = '';
  let app: FastifyInstance;
  let fleet: Fleet;
  let ca: { certPem: string; keyPem: string };
  let plan: PlannedCertificate[];
  let input: ClusterInput;
  const cache = new Map<string, RealOutcome>();
  const api = (url: string) => `/api/v1/clusters/agree${url}`;
  const job = async (url: string) => {
    const res = await app.inject({ method: 'POST', url: api(url) });
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitJob(app, res.json().jobId);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  };
  const dirOf = (node: string | null) => (node ? fleet.node(node).remoteDir : path.join(work, 'operator'));
  const put = (node: string, file: string, content: string) => fs.writeFileSync(path.join(dirOf(node), file), content);
  /** A certificate of the cluster's CA for `name`'s plan entry, changed by `over`. */
  const reissue = async (name: string, over: Partial<PlannedCertificate> = {}, opts: { now?: Date; hours?: number; usages?: string[] } = {}) => {
    const planned = { ...plan.find((c) => c.name === name)!, ...over };
    return issueCertificate({ ca, planned, subject: input.subject, algorithm: ALG, validityHours: opts.hours ?? 24, now: opts.now ?? new Date() });
  };
  const putPair = (node: string, name: string, pair: { certPem: string; keyPem: string }) => {
    put(node, `${name}.pem`, pair.certPem);
    put(node, `${name}-key.pem`, pair.keyPem);
  };

  beforeAll(async () => {
    requireTool(ETCD, 'etcd-server');
    requireTool(ETCDCTL, 'etcd-client');
    requireTool(KUBECTL, 'kubernetes-client');
    dataDir = tempDataDir();
    work = await tmpDir('kpki-agree-');
    fs.mkdirSync(path.join(work, 'operator'));
    fs.writeFileSync(path.join(work, 'empty.kubeconfig'), 'apiVersion: v1\nkind: Config\n');
    app = await testApp(dataDir);
    fleet = await startFleet({ nodes: FLEET.map((name) => ({ name })), authorizedKeys: [] });
    const ssh = (name: string) => {
      const n = fleet.node(name);
      return { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint };
    };
    const lbAddress = fleet.node('cp1').host.replace(/\.\d+$/, '.251');
    input = {
      ...hardWayPreset(), name: 'agree', keyAlgorithm: ALG,
      nodes: [
        { name: 'cp1', role: 'control-plane', addresses: [fleet.node('cp1').host], ssh: ssh('cp1') },
        { name: 'cp2', role: 'control-plane', addresses: [fleet.node('cp2').host], ssh: ssh('cp2') },
        { name: 'lb', role: 'load-balancer', addresses: [lbAddress] },
        { name: 'worker1', role: 'worker', addresses: [fleet.node('worker1').host], ssh: ssh('worker1') },
      ],
    };
    await reauth(app); // control-plane nodes with SSH targets decide where the CA key goes
    expect((await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: input })).statusCode).toBe(201);
    fleet.setAuthorizedKeys([(await app.inject(api('/ssh-key'))).json().publicKey]);
    expect((await app.inject({ method: 'POST', url: api('/ca') })).statusCode).toBe(201);
    await job('/issuances');
    plan = (await app.inject(api('/plan'))).json().certificates;
    const download = async (name: string, part: 'cert' | 'key') => (await app.inject(api(`/certificates/${name}/${part}.pem`))).body;
    ca = { certPem: await download('ca', 'cert'), keyPem: await download('ca', 'key') };
    for (const [file, name, part] of [['ca.pem', 'ca', 'cert'], ['admin.pem', 'admin', 'cert'], ['admin-key.pem', 'admin', 'key']] as const) {
      fs.writeFileSync(path.join(work, 'operator', file), await download(name, part));
    }
  });
  afterAll(async () => {
    await fleet?.stop();
    await app?.close();
    await removeDir(work);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const files = (node: string | null, base: string): TlsFiles => ({ cert: path.join(dirOf(node), `${base}.pem`), key: path.join(dirOf(node), `${base}-key.pem`), ca: path.join(dirOf(node), 'ca.pem') });
  const sha = (f: TlsFiles) => [f.cert, f.key, f.ca].map((p) => (fs.existsSync(p) ? createHash('sha256').update(fs.readFileSync(p)).digest('hex') : 'none')).join(',');

  /** The files of each side of an edge, as the link topology says (operator: the downloaded admin files). */
  function sides(e: LinkEdge): { client: TlsFiles; server: TlsFiles } {
    const clientBase = e.row === 0 ? 'admin' : e.row === 1 || e.row === 2 ? 'kubernetes' : e.row === 7 ? 'etcd' : e.certificate;
    const serverBase = e.row === 1 || e.row === 7 ? 'etcd' : e.row === 2 ? e.serverNode : 'kubernetes';
    return { client: files(e.row === 0 ? null : e.clientNode, clientBase), server: files(e.serverNode, serverBase) };
  }

  /** What the component needs to be, from kube-endpoint's answer (independent of kpki's rules). */
  const identity = (e: LinkEdge) => (user: string, groups: string[]): string | null => {
    const want: Record<number, boolean> = {
      0: groups.includes('system:masters'), 2: true, 3: user === `system:node:${e.clientNode}` && groups.includes('system:nodes'),
      4: user === 'system:kube-proxy', 5: user === 'system:kube-scheduler', 6: user === 'system:kube-controller-manager',
    };
    return want[e.row] ? null : `${user} [${groups.join(' ')}]`;
  };

  /** The real outcome of every edge, running only what the cache does not hold. */
  async function realOutcomes(edges: LinkEdge[]): Promise<Map<string, RealOutcome>> {
    const keyOf = (e: LinkEdge) => { const s = sides(e); return `${e.row} ${e.address} ${sha(s.client)} ${sha(s.server)}`; };
    const todo = edges.filter((e) => !cache.has(keyOf(e)));
    const etcdRuns = todo.filter((e) => e.row === 1).map((e) => ({ id: e.id, host: e.address, ...sides(e) }));
    const kubectlRuns = todo.filter((e) => ![1, 7].includes(e.row)).map((e) => ({ id: e.id, address: e.address, ...sides(e), identity: identity(e) }));
    const results = new Map<string, RealOutcome>([
      ...await etcdClientOutcomes(etcdRuns, work),
      ...await kubectlOutcomes(kubectlRuns, path.join(work, 'empty.kubeconfig')),
    ]);
    const peers = todo.filter((e) => e.row === 7);
    if (peers.length) {
      const members = ['cp1', 'cp2'].map((node) => ({ node, host: fleet.node(node).host, files: files(node, 'etcd') }));
      const byPair = await etcdPeerOutcomes(members, work);
      for (const e of peers) results.set(e.id, byPair.get(`${e.clientNode}>${e.serverNode}`)!);
    }
    for (const e of todo) cache.set(keyOf(e), results.get(e.id)!);
    return new Map(edges.map((e) => [e.id, cache.get(keyOf(e))!]));
  }

  const CASES: Array<{ name: string; failing: string[]; build: () => Promise<void> }> = [
    { name: 'the healthy preset', failing: [], build: async () => {} },
    {
      name: 'cp1 serves a kubernetes.pem without the load-balancer address',
      failing: ['kube-proxy@worker1>kube-apiserver@cp1', 'kubelet@worker1>kube-apiserver@cp1'],
      build: async () => putPair('cp1', 'kubernetes', await reissue('kubernetes', { sans: plan.find((c) => c.name === 'kubernetes')!.sans.filter((s) => s.value !== input.nodes[2].addresses[0]) })),
    },
    {
      name: 'cp2 holds an etcd certificate of another CA',
      failing: ['etcd peer@cp1>etcd peer@cp2', 'etcd peer@cp2>etcd peer@cp1', 'kube-apiserver@cp1>etcd@cp2', 'kube-apiserver@cp2>etcd@cp2'],
      build: async () => putPair('cp2', 'etcd', (await issueCluster({ cluster: input, algorithm: ALG, only: ['etcd'] })).leaves[0]),
    },
    {
      name: 'worker1 holds an expired certificate (the cluster CA, a validity in the past)',
      failing: ['kube-apiserver@cp1>kubelet@worker1', 'kube-apiserver@cp2>kubelet@worker1', 'kubelet@worker1>kube-apiserver@cp1', 'kubelet@worker1>kube-apiserver@cp2'],
      build: async () => putPair('worker1', 'worker1', await reissue('worker1', {}, { now: new Date(Date.now() - 3 * 86400e3), hours: 24 })),
    },
    {
      name: 'cp2 holds an etcd certificate with server auth only, used as a peer',
      failing: ['etcd peer@cp2>etcd peer@cp1'],
      build: async () => putPair('cp2', 'etcd', await reissue('etcd', { usages: ['digital signature', 'key encipherment', 'server auth'] })),
    },
    {
      name: 'worker1 holds a key that does not match its certificate',
      failing: ['kube-apiserver@cp1>kubelet@worker1', 'kube-apiserver@cp2>kubelet@worker1', 'kubelet@worker1>kube-apiserver@cp1', 'kubelet@worker1>kube-apiserver@cp2'],
      build: async () => put('worker1', 'worker1-key.pem', (await reissue('worker1')).keyPem),
    },
    {
      name: 'worker1 holds a kubelet certificate whose CN names another node',
      failing: ['kubelet@worker1>kube-apiserver@cp1', 'kubelet@worker1>kube-apiserver@cp2'],
      build: async () => putPair('worker1', 'worker1', await reissue('worker1', { cn: 'system:node:worker2' })),
    },
    {
      name: 'cp2 serves an etcd certificate without its own address',
      failing: ['etcd peer@cp1>etcd peer@cp2', 'kube-apiserver@cp1>etcd@cp2', 'kube-apiserver@cp2>etcd@cp2'],
      build: async () => putPair('cp2', 'etcd', await reissue('etcd', { sans: plan.find((c) => c.name === 'etcd')!.sans.filter((s) => s.value !== input.nodes[1].addresses[0]) })),
    },
  ];

  test.each(CASES)('$name', async (c) => {
    await job('/distributions'); // back to the issued files
    await c.build();
    for (const node of FLEET) expect((await app.inject({ method: 'POST', url: api(`/nodes/${node}/verify`) })).statusCode).toBe(200);
    const kpki = (await app.inject(api('/links?source=deployed'))).json() as LinksResponse;
    expect(kpki.summary.total).toBe(18);
    expect(kpki.edges.filter((e) => e.verdict === 'fails').map((e) => e.id).sort(), 'the case breaks what it should').toEqual([...c.failing].sort());

    const real = await realOutcomes(kpki.edges);
    const disagreements: string[] = [];
    for (const e of kpki.edges) {
      const r = real.get(e.id)!;
      const first = e.reasons[0];
      if ((e.verdict === 'ok') !== r.ok) {
        disagreements.push(`${e.id}: kpki ${e.verdict}${first ? ` (${first.message})` : ''}, ${r.by} ${r.ok ? 'ok' : `fails: ${r.error}`}`);
      } else if (!r.ok && first.code !== kindOf(r.error)) {
        disagreements.push(`${e.id}: kpki says ${first.code} (${first.message}), ${r.by} says ${kindOf(r.error)} (${r.error})`);
      } else if (!r.ok && /^(x509|tls): /.test(r.error) && sameTime(first.message) !== sameTime(r.error)) {
        disagreements.push(`${e.id}: kpki "${first.message}", ${r.by} "${r.error}"`);
      } else if (!r.ok && first.code === 'identity' && !first.detail.includes(r.error.slice('identity: '.length).split(' ')[0])) {
        disagreements.push(`${e.id}: kpki "${first.detail}" does not name the identity ${r.by} reports (${r.error})`);
      }
    }
    if (process.env.KPKI_SHOW_AGREEMENT) for (const e of kpki.edges) console.log(c.name.slice(0, 20), e.id, e.verdict, e.reasons[0]?.message ?? "", "||", real.get(e.id)!.by, real.get(e.id)!.error)
    expect(disagreements).toEqual([]);
  });
});
