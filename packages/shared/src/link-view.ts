/**
 * The part of the link check a page shows (GET /links?failing=&q=&node=&offset=&limit=): which
 * links a query keeps and how a reason reads on one line. The server filters with it and the web
 * shows reasons with it, so a search finds what the page shows. Pure.
 */
import type { LinkEdge, LinkReason } from './api/links.ts';

/** What a query of the links keeps. */
export interface LinkQuery {
  /** failing links only */
  failing?: boolean;
  /** text each kept link holds (client, server, nodes, address:port, certificate, reasons), case-insensitive */
  q?: string;
  /** links a node takes part in, as client or as server */
  node?: string;
}

/** "worker1 · worker1.pem: tls: failed to find any PEM data in certificate input" */
export function reasonLine(r: LinkReason): string {
  const where = [r.node ?? (r.file ? "operator's copy" : null), r.file].filter(Boolean).join(' · ');
  return where ? `${where}: ${r.message}` : r.message;
}

/** Whether a query narrows the links at all. */
export const narrowsLinks = (q: LinkQuery) => !!q.failing || !!q.q?.trim() || !!q.node;

/** A predicate for the links `q` keeps. */
export function linkMatcher(q: LinkQuery): (e: LinkEdge) => boolean {
  const text = (q.q ?? '').trim().toLowerCase();
  return (e) => {
    if (q.failing && e.verdict === 'ok') return false;
    if (q.node && e.clientNode !== q.node && e.serverNode !== q.node) return false;
    if (!text) return true;
    const hay = [e.client, e.clientNode, e.server, e.serverNode, `${e.address}:${e.port}`, e.certificate, ...e.reasons.map(reasonLine)].join(' ').toLowerCase();
    return hay.includes(text);
  };
}
