/**
 * GET /clusters/{cluster}/plan?view=talks|ca-key-files (issue 16, pages at scale): each lean view
 * is the full plan of the same read trimmed, on a cluster past the kubelets carried in full, and
 * follows a topology change at once (nothing cached). Real app, real SQLite file.
 */
import { describe, expect, test } from 'vitest';
import { hardWayPreset, KUBELETS_IN_FULL, underCaKeyRule, type ClusterInput, type Plan, type PlannedFile, type PlanTalksView } from '@kpki/shared';
import { useTestApp } from './helpers/app.ts';

const API = '/api/v1';
const WORKERS = KUBELETS_IN_FULL + 4;

/** 2 control-plane nodes, a load balancer and WORKERS workers (addresses as data only). */
function topology(workers: number): ClusterInput {
  const preset = hardWayPreset();
  return {
    ...preset,
    name: 'views',
    nodes: [
      ...preset.nodes.filter((n) => n.role !== 'worker'),
      ...Array.from({ length: workers }, (_, i) => ({ name: `w${i + 1}`, role: 'worker' as const, addresses: [`10.240.0.${i + 20}`] })),
    ],
  };
}

describe('the plan trimmed for a page', () => {
  const fx = useTestApp();
  const get = async <T,>(url: string) => {
    const res = await fx.app.inject(`${API}${url}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };

  test('view=talks is the full plan trimmed: the matrix rows, the certificates but the kubelets past the first ones, every kubelet counted', async () => {
    expect((await fx.app.inject({ method: 'POST', url: `${API}/clusters`, payload: topology(WORKERS) })).statusCode).toBe(201);
    const full = await get<Plan>('/clusters/views/plan');
    const talks = await get<PlanTalksView>('/clusters/views/plan?view=talks');
    const kubelets = full.certificates.filter((c) => c.kind === 'kubelet');
    expect(kubelets).toHaveLength(WORKERS);
    expect(talks.view).toBe('talks');
    expect(talks.matrixRows).toEqual(full.matrixRows);
    // in the full plan's order: every certificate but the kubelets past KUBELETS_IN_FULL
    expect(talks.certificates).toEqual(full.certificates.filter((c) => c.kind !== 'kubelet' || kubelets.indexOf(c) < KUBELETS_IN_FULL));
    expect(talks.certificates.filter((c) => c.kind === 'kubelet').map((c) => c.name)).toEqual(kubelets.slice(0, KUBELETS_IN_FULL).map((c) => c.name));
    expect(talks.kubelets.names).toEqual(kubelets.map((c) => c.name));
    expect(talks.kubelets.sans).toBe(kubelets.reduce((n, c) => n + c.sans.length, 0));
    // the kubelets' SAN reasons name no node: each group is one reason of the full plan, counted there
    const reasons = [...new Set(kubelets.flatMap((c) => c.sans.map((s) => s.reason)))];
    expect(reasons.length).toBeGreaterThan(0);
    expect(talks.kubelets.sanGroups).toEqual(
      reasons.map((reason) => {
        const sans = kubelets.flatMap((c) => c.sans.filter((s) => s.reason === reason));
        return {
          reason,
          type: new Set(sans.map((s) => s.type)).size > 1 ? 'ip and dns' : sans[0].type,
          sans: sans.length,
          certificates: kubelets.filter((c) => c.sans.some((s) => s.reason === reason)).length,
        };
      }),
    );
    // what it saves: a fraction of the full answer (1,000 nodes: about 60 kB of 2.1 MB)
    expect(JSON.stringify(talks).length).toBeLessThan(JSON.stringify(full).length / 2);
  });

  test('view=ca-key-files is the full plan\'s files under the CA key rule, per node that receives any', async () => {
    const full = await get<Plan>('/clusters/views/plan');
    const lean = await get<{ view: string; files: Record<string, PlannedFile[]> }>('/clusters/views/plan?view=ca-key-files');
    const expected = Object.fromEntries(Object.entries(full.files).map(([n, fs]) => [n, fs.filter(underCaKeyRule)] as const).filter(([, fs]) => fs.length > 0));
    expect(lean).toEqual({ view: 'ca-key-files', files: expected });
    // the tutorial's rule: the control-plane nodes, ca-key.pem and admin.kubeconfig
    expect(Object.keys(lean.files)).toEqual(['cp1', 'cp2']);
    expect(lean.files.cp1.map((f) => f.file).sort()).toEqual(['admin.kubeconfig', 'ca-key.pem']);
  });

  test('a topology change shows in the views at the next read; an unknown view is refused', async () => {
    const res = await fx.app.inject({ method: 'PUT', url: `${API}/clusters/views`, payload: topology(WORKERS + 1) });
    expect(res.statusCode, res.body).toBe(200);
    const talks = await get<PlanTalksView>('/clusters/views/plan?view=talks');
    expect(talks.kubelets.names).toHaveLength(WORKERS + 1);
    expect(talks.kubelets.names.at(-1)).toBe(`w${WORKERS + 1}`);
    expect(talks.matrixRows).toEqual((await get<Plan>('/clusters/views/plan')).matrixRows);
    expect((await fx.app.inject(`${API}/clusters/views/plan?view=everything`)).statusCode).toBe(400);
  });
});
