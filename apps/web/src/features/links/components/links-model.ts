/** How the link check reads on screen: one line per reason, a title per link, the coverage. Pure. (Which links a page shows is the server's: GET /links?failing=&q=&node=.) */
import { reasonLine, type LinkEdge, type LinkSource, type LinksResponse } from '@kpki/shared';

export { reasonLine };

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
