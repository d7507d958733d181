/**
 * GET /metrics (issue 10): Prometheus text format written by prom-client, with the metric names
 * of the x509 certificate exporter so that its dashboards and alerts work unchanged
 * (x509_cert_not_after, x509_cert_not_before, x509_cert_expired, labelled cluster, name,
 * serial_number, subject_CN, subject_O, issuer_CN), plus kpki_node_files{cluster, node, state}
 * and kpki_jobs_total{kind, status}. Values are read from the store at each scrape.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { FileState } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { planOf } from './plans.ts';
import { statusReader } from './node-status.ts';

const CERT_LABELS = ['cluster', 'name', 'serial_number', 'subject_CN', 'subject_O', 'issuer_CN'] as const;
const FILE_STATES: readonly FileState[] = ['in-sync', 'missing', 'stale', 'foreign', 'mode', 'unknown'];

/** The metrics of `deps`: scrape() reads the store and renders the text format. */
export function metricsScraper(deps: Deps): { contentType: string; scrape: () => Promise<string> } {
  const registry = new Registry();
  const notAfter = new Gauge({ name: 'x509_cert_not_after', help: 'Certificate notAfter, seconds since the epoch', labelNames: CERT_LABELS, registers: [registry] });
  const notBefore = new Gauge({ name: 'x509_cert_not_before', help: 'Certificate notBefore, seconds since the epoch', labelNames: CERT_LABELS, registers: [registry] });
  const expired = new Gauge({ name: 'x509_cert_expired', help: 'Whether the certificate has expired (1) or not (0)', labelNames: CERT_LABELS, registers: [registry] });
  const nodeFiles = new Gauge({ name: 'kpki_node_files', help: 'Files a node must hold, by drift state as of its last known status', labelNames: ['cluster', 'node', 'state'], registers: [registry] });
  const jobs = new Counter({ name: 'kpki_jobs_total', help: 'Jobs that have ended, by kind and status', labelNames: ['kind', 'status'], registers: [registry] });

  /** Every metric read again from the store, at one moment (called by registry.metrics()). */
  const collect = () => {
    for (const m of [notAfter, notBefore, expired, nodeFiles]) m.reset();
    jobs.reset();
    const now = deps.now().getTime();
    for (const row of deps.clusters.list()) {
      const current = deps.certificates.listCurrent(row.id);
      const ca = current.find((c) => c.name === 'ca');
      for (const c of current) {
        const labels = { cluster: row.name, name: c.name, serial_number: c.serial, subject_CN: c.cn, subject_O: c.o, issuer_CN: ca?.cn ?? '' };
        notAfter.set(labels, Date.parse(c.notAfter) / 1000);
        notBefore.set(labels, Date.parse(c.notBefore) / 1000);
        expired.set(labels, Date.parse(c.notAfter) <= now ? 1 : 0);
      }
      const plan = planOf(row.input);
      const statusOf = statusReader(deps, row, plan);
      for (const node of row.input.nodes) {
        if (!plan.files[node.name]?.length) continue;
        const status = statusOf(node.name);
        for (const state of FILE_STATES) nodeFiles.set({ cluster: row.name, node: node.name, state }, status.files.filter((f) => f.state === state).length);
      }
    }
    for (const j of deps.jobsRepo.endedCounts()) jobs.inc({ kind: j.type, status: j.status }, j.n);
  };
  return { contentType: registry.contentType, scrape: () => (collect(), registry.metrics()) };
}
