/**
 * GET .../changes: the current certificates compared with the plan (computeChanges of
 * packages/shared), with the facts read from the certificates themselves and the files the
 * nodes hold as of their last known status.
 */
import type { ChangeInput, ChangeSet, IssuedFacts } from '@kpki/shared';
import { computeChanges } from '@kpki/shared/changes';
import type { Deps } from '../context.ts';
import { planOf } from './plans.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import { certificateFacts } from '../pki/index.ts';
import { statusReader } from './node-status.ts';
import { heldKubeconfigServer } from './config-files.service.ts';
import { pacer } from '../lib/pace.ts';

/** Facts by the SHA-256 of the certificate PEM: a certificate never changes, so they never go stale. */
const factsCache = new Map<string, Omit<IssuedFacts, 'name'>>();
const CACHE_LIMIT = 20_000;

/**
 * The facts of every current certificate of the cluster (the CA's included). Certificates not
 * read before are parsed yielding to the event loop every 4 ms of work (lib/pace.ts).
 */
export async function currentFacts(deps: Deps, row: ClusterRow): Promise<IssuedFacts[]> {
  const out: IssuedFacts[] = [];
  const pace = pacer();
  for (const c of deps.certificates.listCurrent(row.id)) {
    let facts = factsCache.get(c.pemSha256);
    if (!facts) {
      facts = certificateFacts(c.pem);
      if (factsCache.size >= CACHE_LIMIT) factsCache.delete(factsCache.keys().next().value!);
      factsCache.set(c.pemSha256, facts);
      await pace();
    }
    out.push({ name: c.name, ...facts });
  }
  return out;
}

/**
 * node -> file -> state, from each node's last known status (never contacts a node), and for the
 * kubeconfigs a node holds in another version, the server URL that version names when kpki can
 * tell (config-files.service.ts heldKubeconfigServer).
 */
export function heldFiles(deps: Deps, row: ClusterRow): Pick<ChangeInput, 'held' | 'heldServers'> {
  const plan = planOf(row.input);
  const status = statusReader(deps, row, plan);
  const serverOf = heldKubeconfigServer(deps, row, plan);
  const held: NonNullable<ChangeInput['held']> = {};
  const heldServers: NonNullable<ChangeInput['heldServers']> = {};
  for (const n of row.input.nodes) {
    const files = status(n.name).files;
    held[n.name] = Object.fromEntries(files.map((f) => [f.file, f.state]));
    for (const f of files) {
      const k = (plan.files[n.name] ?? []).find((p) => p.file === f.file && p.part === 'kubeconfig');
      const server = k && f.state === 'stale' && f.remoteSha256 ? serverOf(k.kubeconfig!, f.remoteSha256) : null;
      if (server) (heldServers[n.name] ??= {})[f.file] = server;
    }
  }
  return { held, heldServers };
}

/** The change set of the cluster now. */
export async function clusterChanges(deps: Deps, row: ClusterRow, withNodes = true): Promise<ChangeSet> {
  return computeChanges({ cluster: row.input, issued: await currentFacts(deps, row), ...(withNodes ? heldFiles(deps, row) : {}) });
}
