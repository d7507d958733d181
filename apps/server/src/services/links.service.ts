/**
 * GET /clusters/{cluster}/links: every link of who-talks-to-whom checked with the files of a
 * source (link-sources.ts), as Go would (@kpki/shared link-check.ts). Issued and deployed use
 * the topology in force (the one the current certificates were issued from); planned uses the
 * topology as saved, so a change not applied yet shows what it would break.
 */
import type { ClusterInput, LinkEdge, LinkRowCount, LinkSource, LinksResponse, NodeStatus } from '@kpki/shared';
import { linkMatcher, narrowsLinks, type LinkQuery } from '@kpki/shared/link-view';
import { nodesWithRole } from '@kpki/shared/catalog';
import { linksOf, type LinkSpec } from '@kpki/shared/link-topology';
import { checkLink, serviceAccountCheck, type FileLookup } from '@kpki/shared/link-check';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import { pacer, type Pace } from '../lib/pace.ts';
import { buildViews, memoVerify } from './link-facts.ts';
import { fileKey, lastStatuses, rawFiles } from './link-sources.ts';

export interface LinksQuery extends LinkQuery {
  source?: LinkSource;
  /** ISO time to check validity at */
  at?: string;
  /** days from now to check validity at */
  inDays?: number;
  /** with a query: the first match returned (0) */
  offset?: number;
  /** with a query: at most this many matches returned (all) */
  limit?: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** The time of the check: `at`, now + `inDays`, or now. @throws AppError VALIDATION_FAILED */
export function checkTime(now: Date, q: LinksQuery): Date {
  if (q.at !== undefined && q.inDays !== undefined) {
    throw new AppError('VALIDATION_FAILED', 'give either ?at= or ?inDays=, not both', [{ path: '/querystring/at', code: 'VALIDATION_FAILED', message: 'at and inDays exclude each other' }]);
  }
  if (q.at !== undefined) {
    const t = Date.parse(q.at);
    if (!/^\d{4}-\d{2}-\d{2}/.test(q.at) || Number.isNaN(t)) {
      throw new AppError('VALIDATION_FAILED', `?at=${q.at} is not a time: give ISO 8601, e.g. 2027-01-01T00:00:00Z`, [{ path: '/querystring/at', code: 'VALIDATION_FAILED', message: 'not an ISO 8601 time' }]);
    }
    return new Date(t);
  }
  return new Date(now.getTime() + (q.inDays ?? 0) * DAY_MS);
}

/** What of a topology decides certificates and links (SSH settings do not). */
function topologyKey(c: ClusterInput): string {
  return JSON.stringify([c.serviceCidr, c.clusterDomain, c.keyAlgorithm, c.subject, c.extraSans ?? {}, c.nodes.map((n) => [n.name, n.role, n.addresses])]);
}

/** Every (node, file) the links and the service-account check read (paced). */
async function wantedFiles(links: LinkSpec[], controlPlanes: string[], pace: Pace): Promise<Array<[string | null, string]>> {
  const seen = new Map<string, [string | null, string]>();
  const want = (node: string | null, file: string) => seen.set(fileKey(node, file), [node, file]);
  for (const l of links) {
    for (const end of [l.clientEnd, l.serverEnd]) for (const f of [end.cert, end.key, end.ca]) want(end.filesOn, f);
    await pace();
  }
  for (const cp of controlPlanes) for (const f of ['service-account.pem', 'service-account-key.pem']) want(cp, f);
  return [...seen.values()];
}

/** How many of the nodes whose files the links read were verified, and the oldest look. */
function nodeCoverage(statuses: Map<string, NodeStatus | null>): LinksResponse['nodes'] {
  let verified = 0;
  let oldest: string | null = null;
  for (const s of statuses.values()) {
    if (!s?.checkedAt || s.error) continue;
    verified++;
    if (!oldest || s.checkedAt < oldest) oldest = s.checkedAt;
  }
  return { withFiles: statuses.size, verified, oldestCheck: oldest };
}

/** A LinksResponse without its edges and page. */
type LinksHead = Omit<LinksResponse, 'edges' | 'page'>;

/**
 * Checks every link of the cluster with the files of `q.source` (default deployed) at the asked
 * time, handing each edge to `emit` as soon as it is checked (paced: the event loop stays free).
 */
async function checkLinks(deps: Deps, row: ClusterRow, q: LinksQuery, emit: (edge: LinkEdge) => void): Promise<LinksHead> {
  const source = q.source ?? 'deployed';
  const at = checkTime(deps.now(), q);
  const pace = pacer();
  const applied = deps.certificates.appliedTopology(row.id);
  const topology = source === 'planned' || !applied ? row.input : applied;
  const links: LinkSpec[] = [];
  for (const l of linksOf(topology)) {
    links.push(l);
    await pace();
  }
  const controlPlanes = nodesWithRole(topology, 'control-plane').map((n) => n.name);
  const wanted = await wantedFiles(links, controlPlanes, pace);
  const holding = [...new Set(wanted.flatMap(([node]) => (node === null ? [] : [node])))];
  const statuses = source === 'issued' ? null : await lastStatuses(deps, row, holding, pace);
  const views = await buildViews(await rawFiles(deps, row, wanted, statuses, pace), pace);
  const lookup: FileLookup = (node, file) => views.get(fileKey(node, file))!;
  const verify = memoVerify(); // for these views only
  let ok = 0;
  const rows: LinkRowCount[] = [];
  for (const l of links) {
    const { verdict, reasons, needs } = checkLink(l, lookup, at, verify);
    if (verdict === 'ok') ok++;
    for (let r = rows.length; r <= l.row; r++) rows.push({ ok: 0, fails: 0 });
    rows[l.row][verdict === 'ok' ? 'ok' : 'fails']++;
    emit({
      id: l.id, row: l.row, client: l.client, clientNode: l.clientNode, server: l.server, serverNode: l.serverNode,
      address: l.address, port: l.port, certificate: l.certificate, verdict, reasons, needs: [...l.needs, ...needs],
    });
    await pace();
  }
  return {
    source, at: at.toISOString(),
    topology: topology === applied ? 'applied' : 'saved',
    pendingChange: !!applied && topologyKey(applied) !== topologyKey(row.input),
    summary: { total: links.length, ok, fails: links.length - ok },
    rows,
    nodes: statuses ? nodeCoverage(statuses) : null,
    checks: controlPlanes.length ? [serviceAccountCheck(controlPlanes, lookup)] : [],
  };
}

/**
 * Every link of the cluster checked (checkLinks), as the JSON text of a LinksResponse: each
 * edge is written to JSON as it is checked and not kept, so a 500-worker answer leaves little
 * for the garbage collector to copy (one JSON.stringify of 4500 kept edges would also hold the
 * event loop for tens of milliseconds).
 */
export async function clusterLinksJson(deps: Deps, row: ClusterRow, q: LinksQuery): Promise<string> {
  const parts: string[] = [];
  if (!narrowsLinks(q) && q.offset === undefined && q.limit === undefined) {
    const head = await checkLinks(deps, row, q, (e) => parts.push(JSON.stringify(e)));
    return `${JSON.stringify(head).slice(0, -1)},"edges":[${parts.join(',')}]}`;
  }
  // a query: the matches, failing first (then in the API's order), from offset, at most limit; only those are written
  const offset = q.offset ?? 0;
  const end = q.limit === undefined ? Infinity : offset + q.limit;
  const keep = linkMatcher(q);
  const failing: LinkEdge[] = [];
  let okMatched = 0;
  const okShown: string[] = [];
  const head = await checkLinks(deps, row, q, (e) => {
    if (!keep(e)) return;
    if (e.verdict !== 'ok') failing.push(e);
    else {
      // ok links come after every failing one: the first `end` of them are all a page can need
      okMatched++;
      if (okShown.length < end) okShown.push(JSON.stringify(e));
    }
  });
  const shownFailing = failing.slice(offset, end).map((e) => JSON.stringify(e));
  const okFrom = Math.max(0, offset - failing.length);
  const okTo = Math.max(0, end - failing.length);
  parts.push(...shownFailing, ...okShown.slice(okFrom, okTo));
  const page = { offset, limit: q.limit ?? null, matched: failing.length + okMatched, matchedFails: failing.length };
  return `${JSON.stringify({ ...head, page }).slice(0, -1)},"edges":[${parts.join(',')}]}`;
}
