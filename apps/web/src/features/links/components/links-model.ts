/** How the link check reads on screen: filters, per-row verdicts, one line per reason. Pure. */
import type { LinkEdge, LinkReason, LinkSource, LinksResponse } from '@kpki/shared';

export interface LinkFilter {
  failingOnly: boolean;
  /** matched against client, server, nodes, address, certificate and reasons, case-insensitive */
  text: string;
}

/** The edges the filter keeps, failing ones first, in the API's order otherwise. */
export function filterEdges(edges: readonly LinkEdge[], filter: LinkFilter): LinkEdge[] {
  const text = filter.text.trim().toLowerCase();
  const kept = edges.filter((e) => {
    if (filter.failingOnly && e.verdict === 'ok') return false;
    if (!text) return true;
    const hay = [e.client, e.clientNode, e.server, e.serverNode, `${e.address}:${e.port}`, e.certificate, ...e.reasons.map(reasonLine)]
      .join(' ').toLowerCase();
    return hay.includes(text);
  });
  return [...kept.filter((e) => e.verdict === 'fails'), ...kept.filter((e) => e.verdict === 'ok')];
}

/** Per matrix row (the eight kinds of connection): how many links work and fail. */
export function rowVerdicts(edges: readonly LinkEdge[], rows: number): Array<{ ok: number; fails: number }> {
  const out = Array.from({ length: rows }, () => ({ ok: 0, fails: 0 }));
  for (const e of edges) if (out[e.row]) out[e.row][e.verdict === 'ok' ? 'ok' : 'fails']++;
  return out;
}

/** The links a node takes part in, as client or as server. */
export const nodeEdges = (edges: readonly LinkEdge[], node: string) => edges.filter((e) => e.clientNode === node || e.serverNode === node);

/** "worker1 · worker1.pem: tls: failed to find any PEM data in certificate input" */
export function reasonLine(r: LinkReason): string {
  const where = [r.node ?? (r.file ? "operator's copy" : null), r.file].filter(Boolean).join(' · ');
  return where ? `${where}: ${r.message}` : r.message;
}

/** "kubelet (worker1) on worker1 → kube-apiserver on cp1 at 192.168.56.20:6443" */
export function edgeTitle(e: LinkEdge): string {
  const client = e.clientNode && !e.client.includes(`(${e.clientNode})`) ? `${e.client} on ${e.clientNode}` : e.client;
  return `${client} → ${e.server} on ${e.serverNode} at ${e.address}:${e.port}`;
}

export const SOURCE_HELP: Record<LinkSource, string> = {
  deployed: 'the files each node held at its last verify',
  issued: 'the certificates kpki holds now',
  planned: 'the topology as saved (changes not applied yet) with the files the nodes hold',
};

/** How fresh the files of a deployed or planned check are, in words. */
export function coverageText(r: Pick<LinksResponse, 'nodes'>): string | null {
  const n = r.nodes;
  if (!n) return null;
  if (n.verified < n.withFiles) return `${n.withFiles - n.verified} of ${n.withFiles} nodes not verified yet (or unreachable): their links cannot be checked`;
  return `all ${n.withFiles} nodes verified`;
}

/** The overview's sentence: how many links work, or why it cannot be said yet. */
export function summaryText(r: LinksResponse): string {
  const n = r.nodes;
  if (n && n.verified < n.withFiles) return `Verify all nodes to see how many links work (${n.verified} of ${n.withFiles} verified)`;
  return `${r.summary.ok} of ${r.summary.total} links work`;
}
