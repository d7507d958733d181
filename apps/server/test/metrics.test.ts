/**
 * GET /metrics (issue 10): the Prometheus text format passes `promtool check metrics` (Debian's
 * prometheus package), x509_cert_not_after equals `openssl x509 -enddate` for every
 * certificate, node files per drift state and ended jobs are counted; without an API token it
 * answers 401, with KPKI_METRICS_PUBLIC=1 it is open.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { CertificateSummary } from '@kpki/shared';
import { issuedCluster, tempDataDir, testApp } from './helpers/app.ts';
import { bearer, createToken, createUser, signIn } from './helpers/auth.ts';
import { removeDir, requireTool, run, runOk, tmpDir } from './helpers/tools.ts';

type App = Awaited<ReturnType<typeof testApp>>;
const PROMTOOL = '/usr/bin/promtool';
const OPENSSL = '/usr/bin/openssl';

/** Samples of one metric: labels and value. */
function samples(text: string, metric: string): Array<{ labels: Record<string, string>; value: number }> {
  return text.split('\n').filter((l) => l.startsWith(`${metric}{`)).map((l) => {
    const [, labels, value] = /^[^{]+\{(.*)\} (\S+)$/.exec(l)!;
    return { labels: Object.fromEntries([...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v])), value: Number(value) };
  });
}

describe('GET /metrics', () => {
  let dataDir = '';
  let app: App;
  let cluster: string;
  let token = '';

  beforeAll(async () => {
    requireTool(PROMTOOL, 'prometheus');
    requireTool(OPENSSL, 'openssl');
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
    // a viewer's token is enough: metrics are read-only
    await createUser(app, 'prometheus', 'prometheus-password-1', 'viewer');
    token = (await createToken(app, 'scrape', await signIn(app, 'prometheus', 'prometheus-password-1'))).token;
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('401 without a token, with a forged one, or with a session cookie only', async () => {
    for (const headers of [{}, bearer('kpki_forged'), { authorization: 'Basic YWRtaW46eA==' }]) {
      const res = await app.rawInject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
      expect(res.json().error.message).toMatch(/API token.*KPKI_METRICS_PUBLIC=1/);
    }
    expect((await app.inject('/metrics')).statusCode).toBe(401); // the admin's browser session is not a token
  });

  test('passes promtool check metrics, with the exporter\'s names and labels', async () => {
    const res = await app.rawInject({ method: 'GET', url: '/metrics', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const check = await run(PROMTOOL, ['check', 'metrics'], { input: res.body });
    expect(check.code, `${check.stdout}${check.stderr}`).toBe(0);
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    for (const m of ['x509_cert_not_after', 'x509_cert_not_before', 'x509_cert_expired', 'kpki_node_files', 'kpki_jobs_total']) {
      expect(res.body).toMatch(new RegExp(`^# TYPE ${m} (gauge|counter)$`, 'm'));
    }
    const notAfter = samples(res.body, 'x509_cert_not_after');
    expect(notAfter).toHaveLength(10);
    const admin = notAfter.find((s) => s.labels.name === 'admin')!;
    expect(Object.keys(admin.labels).sort()).toEqual(['cluster', 'issuer_CN', 'name', 'serial_number', 'subject_CN', 'subject_O']);
    expect(admin.labels).toMatchObject({ cluster, subject_CN: 'admin', subject_O: 'system:masters', issuer_CN: 'Kubernetes' });
    expect(samples(res.body, 'x509_cert_expired').every((s) => s.value === 0)).toBe(true);
    expect(samples(res.body, 'kpki_jobs_total')).toEqual([{ labels: { kind: 'issuance', status: 'succeeded' }, value: 1 }]);
    // no node was ever looked at: the state of every file is unknown (12 PEMs, 3 kubeconfigs, the encryption config)
    const files = samples(res.body, 'kpki_node_files');
    expect(files.filter((s) => s.labels.node === 'cp1' && s.labels.state === 'unknown')[0].value).toBe(16);
    expect(files.filter((s) => s.labels.node === 'cp1' && s.labels.state === 'missing')[0].value).toBe(0);
    expect(files.filter((s) => s.labels.node === 'worker1' && s.labels.state === 'in-sync')[0].value).toBe(0);
    expect(files.some((s) => s.labels.node === 'lb')).toBe(false);
  });

  test('x509_cert_not_after and not_before equal openssl -enddate / -startdate for every certificate', async () => {
    const text = (await app.rawInject({ method: 'GET', url: '/metrics', headers: bearer(token) })).body;
    const items = (await app.inject(`/api/v1/clusters/${cluster}/certificates`)).json().items as CertificateSummary[];
    for (const c of items) {
      const pem = (await app.inject(`/api/v1/clusters/${cluster}/certificates/${c.name}/cert.pem`)).body;
      const out = (await runOk(OPENSSL, ['x509', '-noout', '-enddate', '-startdate', '-serial'], { input: pem })).stdout;
      const date = (key: string) => Date.parse(new RegExp(`${key}=(.*)`).exec(out)![1]) / 1000;
      const serial = /serial=(\w+)/.exec(out)![1].toLowerCase();
      const find = (m: string) => samples(text, m).find((s) => s.labels.name === c.name)!;
      expect(find('x509_cert_not_after'), c.name).toMatchObject({ value: date('notAfter'), labels: { serial_number: serial, subject_CN: c.cn } });
      expect(find('x509_cert_not_before').value, c.name).toBe(date('notBefore'));
    }
  });

  test('the README\'s scrape config and alert rules pass promtool, and the rules fire at 30 and 7 days', async () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    const [scrape, rules] = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    const dir = await tmpDir('kpki-promtool-');
    try {
      fs.writeFileSync(path.join(dir, 'token'), `${token}\n`);
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), scrape.replace('/etc/prometheus/kpki-token', path.join(dir, 'token')));
      fs.writeFileSync(path.join(dir, 'kpki-alerts.yml'), rules);
      const config = await run(PROMTOOL, ['check', 'config', 'prometheus.yml'], { cwd: dir });
      expect(config.code, config.stdout + config.stderr).toBe(0);
      const check = await run(PROMTOOL, ['check', 'rules', 'kpki-alerts.yml'], { cwd: dir });
      expect(check.code, check.stdout + check.stderr).toBe(0);
      // time() starts at 0 in promtool's tests: a certificate ending at 20 days warns, one at 5 days is critical too
      const series = (name: string, days: number) => `{ series: 'x509_cert_not_after{cluster="c",name="${name}"}', values: '${days * 86400}x200' }`;
      fs.writeFileSync(path.join(dir, 'test.yml'), [
        'rule_files: [kpki-alerts.yml]', 'evaluation_interval: 1m', 'tests:', '  - interval: 1m',
        `    input_series: [${series('kubernetes', 20)}, ${series('worker1', 5)}, ${series('admin', 200)}]`,
        '    alert_rule_test:',
        '      - { eval_time: 2h, alertname: CertificateExpiresIn30Days, exp_alerts: [',
        ...['kubernetes 19d', 'worker1 4d'].map((x) => {
          const [name, left] = x.split(' ');
          return `          { exp_labels: { severity: warning, cluster: c, name: ${name} }, exp_annotations: { summary: "c/${name} expires in ${left} 22h 0m 0s", ` +
            `description: "Renew it in kpki (Expiry page, or POST /api/v1/clusters/c/renewals)." } },`;
        }),
        '        ] }',
        '      - { eval_time: 2h, alertname: CertificateExpiresIn7Days, exp_alerts: [',
        '          { exp_labels: { severity: critical, cluster: c, name: worker1 }, exp_annotations: { summary: "c/worker1 expires in 4d 22h 0m 0s" } } ] }',
      ].join('\n') + '\n');
      const fire = await run(PROMTOOL, ['test', 'rules', 'test.yml'], { cwd: dir });
      expect(fire.code, fire.stdout + fire.stderr).toBe(0);
    } finally {
      await removeDir(dir);
    }
  });

  test('KPKI_METRICS_PUBLIC=1 opens it', async () => {
    await app.close();
    app = await testApp(dataDir, { KPKI_METRICS_PUBLIC: '1' });
    const res = await app.rawInject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(samples(res.body, 'x509_cert_not_after')).toHaveLength(10);
  });
});
