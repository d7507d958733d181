/**
 * The brief certificate list (GET .../certificates?view=brief, what the certificates page reads,
 * issue 16): on the real SQLite store, after an issuance whose leaves are capped at the CA, a
 * re-issue (superseded versions) and a removed worker (a retired version), every read of the
 * brief list equals the full one trimmed to CertificateRow, row for row, with every recipient
 * (a search by any node finds a certificate every node receives); the default answer and
 * view=full are the full list, unchanged.
 */
import { describe, expect, test } from 'vitest';
import { certificateRowOf, type CertificateRow, type CertificateSummary, type Cluster } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { issuedCluster, reauth, refreshSession, testClock, useTestApp, waitJob } from './helpers/app.ts';

describe('the brief certificate list', () => {
  const clock = testClock();
  const fx = useTestApp({ now: clock.now });
  let cluster = '';
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const get = async <T = any>(url: string): Promise<T> => {
    const res = await fx.app.inject(api(url));
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  /** Both lists of `status`, read one after the other; checks that the brief one is the full one trimmed and returns both. */
  const both = async (status: 'current' | 'all') => {
    const full = (await get<{ items: CertificateSummary[] }>(`/certificates?status=${status}`)).items;
    const brief = (await get<{ items: CertificateRow[] }>(`/certificates?status=${status}&view=brief`)).items;
    expect(brief).toEqual(full.map(certificateRowOf));
    for (const row of brief) {
      for (const gone of ['sha256', 'notBefore', 'issuanceId', 'source', 'residualSeconds']) expect(row).not.toHaveProperty(gone);
      expect(row.notAfterCapped === undefined || row.notAfterCapped === true).toBe(true);
    }
    return { full, brief };
  };

  test('after an issuance: same rows, every recipient', async () => {
    cluster = await issuedCluster(fx.app, (c) => {
      c.name = 'brief';
      c.caValidityHours = 1000;
      c.certValidityHours = 800;
      // six more workers: kube-proxy and the CA go to more nodes than the table names (five)
      const worker = c.nodes.find((n: { role: string }) => n.role === 'worker');
      for (let i = 3; i <= 8; i++) c.nodes.push({ ...worker, name: `worker${i}`, addresses: [`10.240.0.${20 + i}`] });
    });
    const { full, brief } = await both('current');
    expect(brief).toHaveLength(16);
    expect(brief.find((c) => c.name === 'kube-proxy')!.recipients).toHaveLength(8);
    const topology = await get<Cluster>('');
    const nodes = topology.nodes.map((n) => n.name);
    const expected = new Map(buildCatalog(topology).map((c) => [c.name, c.recipients]));
    for (const row of brief) expect(row.recipients, row.name).toEqual(expected.get(row.name));
    // the CA goes to every node that runs a Kubernetes component (not the load balancer): each one listed
    expect(brief.find((c) => c.name === 'ca')!.recipients).toEqual(nodes.filter((n) => n !== 'lb'));
    expect(brief.filter((c) => 'notAfterCapped' in c)).toEqual([]);
    // the default answer and view=full: the full list
    expect((await get<{ items: CertificateSummary[] }>('/certificates?view=full')).items).toEqual(full);
    expect(full[0]).toHaveProperty('sha256');
  });

  test('superseded, capped and retired versions: the brief list of every version is the full one trimmed', async () => {
    // 500 h later the CA has 500 h left: a re-issue of 800 h leaves caps each at the CA's notAfter and supersedes the first ones
    clock.advance(500 * 3_600_000);
    await refreshSession(fx.app);
    const job = await waitJob(fx.app, (await fx.app.inject({ method: 'POST', url: api('/issuances') })).json().jobId);
    expect(job.status).toBe('succeeded');
    const capped = await both('current');
    expect(capped.brief.filter((c) => c.notAfterCapped).map((c) => c.name).sort()).toEqual(capped.full.filter((c) => c.name !== 'ca').map((c) => c.name).sort());
    expect(capped.full.filter((c) => c.notAfterCapped)).toHaveLength(15);
    expect(capped.brief.find((c) => c.name === 'ca')).not.toHaveProperty('notAfterCapped');
    // worker2 leaves the topology: its certificate is retired (no recipients)
    const { createdAt: _c, updatedAt: _u, hasCa: _h, caNotAfter: _n, ...input } = await get<Cluster & { hasCa: unknown; caNotAfter: unknown }>('');
    input.nodes = input.nodes.filter((n) => n.name !== 'worker2');
    await reauth(fx.app);
    expect((await fx.app.inject({ method: 'PUT', url: api(''), payload: input })).statusCode).toBe(200);
    await reauth(fx.app);
    const applied = await fx.app.inject({ method: 'POST', url: api('/changes/apply'), payload: {} });
    expect(applied.statusCode, applied.body).toBe(200);
    const { brief } = await both('all');
    const byStatus = (s: string) => brief.filter((c) => c.status === s).map((c) => c.name);
    expect(byStatus('superseded')).toHaveLength(15);
    expect(byStatus('retired')).toEqual(['worker2']);
    expect(brief.find((c) => c.status === 'retired')!.recipients).toEqual([]);
    expect(brief.find((c) => c.name === 'ca')!.recipients).not.toContain('worker2');
    await both('current');
  });

  test('a view other than full or brief is refused', async () => {
    const res = await fx.app.inject(api('/certificates?view=short'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});
