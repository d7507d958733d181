/**
 * Issue 14 on a fleet of real sshd nodes (loopback): the tutorial's PKI made by real cfssl is
 * copied to the nodes the way the tutorial's scp loop does it (plain scp, not kpki), then imported
 * into kpki twice (an archive of the folder, and the same folder pulled over SFTP from cp1) and
 * adopted. A verify then finds every node in sync without writing a single file (same inode, same
 * mtime and ctime, same listing), and renewing worker1 with distribution writes to worker1 only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Job, NodeSummary } from '@kpki/shared';
import { SSH_KEYGEN, startFleet, type Fleet } from './support.ts';
import { reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { tarGz, writeCfsslPki } from './helpers/cfssl-pki.ts';
import { removeDir, runOk, tmpDir } from './helpers/tools.ts';
import { dump } from './helpers/db-dump.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };

/** The tutorial's scp loop (module 07, "Distribute the certificates"): the files each node receives. */
const CONTROL_PLANE_FILES = [
  'ca.pem', 'ca-key.pem', 'kubernetes.pem', 'kubernetes-key.pem', 'etcd.pem', 'etcd-key.pem', 'service-account.pem', 'service-account-key.pem',
  'kube-controller-manager.pem', 'kube-controller-manager-key.pem', 'kube-scheduler.pem', 'kube-scheduler-key.pem',
];
const WORKER_FILES = (w: string) => ['ca.pem', `${w}.pem`, `${w}-key.pem`, 'kube-proxy.pem', 'kube-proxy-key.pem'];

/** inode, mtime and ctime of every entry of a folder: any write, rename or chmod changes them. */
function stamps(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => {
    const s = fs.statSync(path.join(dir, f));
    return [f, `${s.ino}:${s.mtimeMs}:${s.ctimeMs}:${(s.mode & 0o777).toString(8)}`];
  }));
}

describe('adopting a PKI the tutorial\'s scp loop put on the nodes', () => {
  let dataDir = '';
  let pkiDir = '';
  let work = '';
  let app: App;
  let fleet: Fleet;
  let nodes: Array<{ name: string; role: string }> = [];
  const clusters = { archive: 'from-archive', pull: 'from-pull' };
  const api = (cluster: string, url = '') => `/api/v1/clusters/${cluster}${url}`;
  const post = async (url: string, payload?: object) => app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });
  const job = async (url: string, payload?: object): Promise<Job> => {
    const res = await post(url, payload);
    expect(res.statusCode, res.body).toBe(202);
    return waitJob(app, res.json().jobId);
  };
  const everyStamp = () => Object.fromEntries(fleet.nodes.map((n) => [n.name, stamps(n.remoteDir)]));

  /** The preset (no CA yet, no kubeconfigs: the tutorial's module 07 copies certificates only) named `name`, its nodes pinned to the fleet. */
  async function createCluster(name: string): Promise<string> {
    const preset = (await app.inject('/api/v1/presets/hard-way')).json();
    preset.name = name;
    preset.generateConfigFiles = false;
    const res = await post('/api/v1/clusters', preset);
    expect(res.statusCode, res.body).toBe(201);
    return (await app.inject(api(name, '/ssh-key'))).json().publicKey as string;
  }
  async function pinAll(cluster: string) {
    for (const n of fleet.nodes) {
      await reauth(app); // control-plane targets: the CA key rule
      const res = await app.inject({
        method: 'PUT', url: api(cluster, `/nodes/${n.name}/ssh`),
        payload: { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  }

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    work = await tmpDir('kpki-import-fleet-');
    pkiDir = await tmpDir('kpki-cfssl-pki-');
    await writeCfsslPki(pkiDir);
    nodes = (await app.inject('/api/v1/presets/hard-way')).json().nodes.filter((n: { role: string }) => n.role !== 'load-balancer');
    const keys = [await createCluster(clusters.archive), await createCluster(clusters.pull)];
    // the operator's own key, for scp (as the tutorial's ~/.ssh/config gives it)
    const scpKey = path.join(work, 'id_ed25519');
    await runOk(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'tutorial-operator', '-f', scpKey]);
    fleet = await startFleet({ nodes: nodes.map((n) => ({ name: n.name })), authorizedKeys: [...keys, fs.readFileSync(`${scpKey}.pub`, 'utf8').trim()] });
    const knownHosts = path.join(work, 'known_hosts');
    fs.writeFileSync(knownHosts, fleet.nodes.map((n) => `[${n.host}]:${n.port} ${fs.readFileSync(`${n.hostKeyPath}.pub`, 'utf8').trim()}`).join('\n') + '\n');
    const scp = (n: (typeof fleet.nodes)[number], args: string[]) => runOk('scp', [
      '-q', '-i', scpKey, '-P', String(n.port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`, ...args,
    ], { cwd: pkiDir });
    // the tutorial's loop: for node in cp1 cp2; do scp ca.pem ca-key.pem ... "${node}:~/"; done; scp ca.pem worker1.pem ... worker1:~/
    for (const n of nodes) {
      const files = n.role === 'control-plane' ? CONTROL_PLANE_FILES : WORKER_FILES(n.name);
      await scp(fleet.node(n.name), [...files, `${fleet.user}@${fleet.node(n.name).host}:${fleet.node(n.name).remoteDir}/`]);
    }
    // the whole folder, as cfssl left it, on the first control-plane node too: the folder a pull reads
    const first = fleet.node(nodes.find((n) => n.role === 'control-plane')!.name);
    await scp(first, ['-r', pkiDir, `${fleet.user}@${first.host}:${first.remoteDir}/k8s-cluster-certs`]);
    await pinAll(clusters.archive);
    await pinAll(clusters.pull);
  }, 180_000);
  afterAll(async () => {
    await fleet?.stop();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await removeDir(pkiDir);
    await removeDir(work);
  });

  test('the scp loop left the tutorial\'s counts: 12 .pem files on a control-plane node, 5 on a worker, keys 0600', () => {
    for (const n of nodes) {
      const pems = fs.readdirSync(fleet.node(n.name).remoteDir).filter((f) => f.endsWith('.pem'));
      expect(pems.length, n.name).toBe(n.role === 'control-plane' ? 12 : 5);
      for (const f of pems) expect(fs.statSync(path.join(fleet.node(n.name).remoteDir, f)).mode & 0o777, `${n.name}:${f}`).toBe(f.endsWith('-key.pem') ? 0o600 : 0o644);
    }
  });

  test('imported from an archive and from a folder pulled over SFTP, the reports agree; adopted, a verify finds every node in sync and writes nothing', async () => {
    const before = everyStamp();
    await reauth(app);
    const archive = await app.inject({
      method: 'POST', url: api(clusters.archive, '/imports'), headers: { 'content-type': 'application/gzip' }, payload: await tarGz(pkiDir, path.join(work, 'pki.tar.gz')),
    });
    expect(archive.statusCode, archive.body).toBe(201);
    const first = nodes.find((n) => n.role === 'control-plane')!.name;
    const pulled = await post(api(clusters.pull, '/imports'), { node: first, path: `${fleet.node(first).remoteDir}/k8s-cluster-certs` });
    expect(pulled.statusCode, pulled.body).toBe(201);
    expect(pulled.json().origin).toEqual({ kind: 'pull', node: first, path: `${fleet.node(first).remoteDir}/k8s-cluster-certs` });
    const facts = (r: { report: { files: Array<{ name: string; path: string; sha256: string; problems: unknown[] }> } }) =>
      r.report.files.map((f) => `${f.name} ${f.path} ${f.sha256} ${f.problems.length}`).sort();
    expect(facts(pulled.json())).toEqual(facts(archive.json()));
    expect(archive.json().report.files).toHaveLength(10);
    expect(pulled.json().hasCaKey).toBe(true);

    for (const [cluster, imported] of [[clusters.archive, archive], [clusters.pull, pulled]] as const) {
      await reauth(app);
      const adopted = await post(api(cluster, `/imports/${imported.json().id}/adopt`));
      expect(adopted.statusCode, adopted.body).toBe(200);
      expect(adopted.json().adopted).toHaveLength(10);
      const verify = await job(api(cluster, '/verifications'));
      expect(verify.status, JSON.stringify(verify.error)).toBe('succeeded');
      const summaries = (await app.inject(api(cluster, '/nodes'))).json().items as NodeSummary[];
      for (const n of summaries) {
        if (n.role === 'load-balancer') {
          expect(n.status.state).toBe('nothing-to-hold');
          continue;
        }
        expect(n.status.state, `${cluster} ${n.name}: ${JSON.stringify(n.status.files.filter((f) => f.state !== 'in-sync'))}`).toBe('in-sync');
        expect(n.status.files.map((f) => f.file).sort()).toEqual((n.role === 'control-plane' ? CONTROL_PLANE_FILES : WORKER_FILES(n.name)).sort());
      }
    }
    // nothing was written: every file (and the folder's listing) exactly as the scp loop left it
    expect(everyStamp()).toEqual(before);
  });

  test('renewing worker1 then writes to worker1 only, and only its renewed files', async () => {
    const worker = nodes.find((n) => n.role === 'worker')!.name;
    const before = everyStamp();
    const renewal = await job(api(clusters.archive, '/renewals'), { certificates: [worker], distribute: true });
    expect(renewal.status, JSON.stringify(renewal.error)).toBe('succeeded');
    expect(Object.keys((renewal.result as { nodes: Record<string, unknown> }).nodes)).toEqual([worker]);
    const after = everyStamp();
    for (const n of nodes.filter((x) => x.name !== worker)) expect(after[n.name], n.name).toEqual(before[n.name]);
    const changed = Object.keys(after[worker]).filter((f) => after[worker][f] !== before[worker][f]).sort();
    expect(changed).toEqual([`${worker}-key.pem`, `${worker}.pem`]);
    // the renewed certificate is kpki's (issued), the rest stays imported, and every node is in sync
    const certs = (await app.inject(api(clusters.archive, '/certificates'))).json().items as Array<{ name: string; source: string }>;
    expect(certs.filter((c) => c.source === 'issued').map((c) => c.name)).toEqual([worker]);
    const verify = await job(api(clusters.archive, '/verifications'));
    expect(verify.status).toBe('succeeded');
    const states = ((await app.inject(api(clusters.archive, '/nodes'))).json().items as NodeSummary[]).map((n) => `${n.name} ${n.status.state}`);
    expect(states.filter((s) => !s.endsWith(' in-sync') && !s.endsWith(' nothing-to-hold'))).toEqual([]);
  });

  test('a pull is refused, naming the entry, when a link is among the files or a file is past the limit; a relative path is refused; nothing is stored', async () => {
    const first = fleet.node(nodes.find((n) => n.role === 'control-plane')!.name);
    const hostile = path.join(first.remoteDir, 'hostile');
    fs.mkdirSync(hostile);
    fs.copyFileSync(path.join(pkiDir, 'ca.pem'), path.join(hostile, 'ca.pem'));
    fs.symlinkSync('/etc/shadow', path.join(hostile, 'ca-key.pem'));
    const before = dump(app.deps.db);
    await reauth(app);
    const res = await post(api(clusters.pull, '/imports'), { node: first.name, path: hostile });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('ARCHIVE_REFUSED');
    expect(res.json().error.details.entry).toBe('ca-key.pem');
    expect(res.json().error.message).toMatch(/symbolic link/);
    // a file past the archive reader's limit (1 MiB a file) is refused the same way
    const big = path.join(first.remoteDir, 'big');
    fs.mkdirSync(big);
    fs.writeFileSync(path.join(big, 'huge.pem'), Buffer.alloc(2 * 1024 * 1024, 65));
    const tooLarge = await post(api(clusters.pull, '/imports'), { node: first.name, path: big });
    expect(tooLarge.statusCode, tooLarge.body).toBe(400);
    expect(tooLarge.json().error).toMatchObject({ code: 'ARCHIVE_REFUSED', details: { entry: 'huge.pem' } });
    const relative = await post(api(clusters.pull, '/imports'), { node: first.name, path: 'certs' });
    expect(relative.statusCode).toBe(400);
    expect(dump(app.deps.db)).toBe(before);
  });
});
