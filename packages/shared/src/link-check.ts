/**
 * "Will it work?" (docs/domain.md section 7): one link checked as a Go TLS client and server
 * would check it, with the files each side holds (tls-facts.ts FileView, looked up per node and
 * file). Pure.
 *
 * Order of the reasons, as the failures would happen: the client loading its key pair and CA
 * file, the server loading its own, the client verifying the server's certificate for the
 * address it dials (server auth), the server verifying the client's certificate (client auth),
 * then the identity the server derives from the client certificate. The first reason is what
 * the components log first; the others are listed so that one look fixes everything.
 */
import type { LinkConsistencyCheck, LinkReason, LinkVerdict } from './api/links.ts';
import { goQuote, goVerify, goVerifyHostname } from './go-x509.ts';
import type { IdentityRule, LinkEnd, LinkSpec } from './link-topology.ts';
import type { CertFacts, FileContent, FileView } from './tls-facts.ts';

/** The files of a source: what `node` holds as `file` (node null: the operator's copy). */
export type FileLookup = (node: string | null, file: string) => FileView;

export interface LinkResult {
  verdict: LinkVerdict;
  reasons: LinkReason[];
  /** what the link needs beyond the files that kpki cannot check (DNS, RBAC) */
  needs: string[];
}

type Side = 'client' | 'server';

const where = (end: LinkEnd) => (end.filesOn === null ? "the operator's copy" : end.filesOn);

/** A reason about `file` of one side; `views` are the files whose origin explains it ([node, file, view]). */
function reason(side: Side, end: LinkEnd, file: string, code: LinkReason['code'], message: string, detail: string, ...views: Array<[string | null, string, FileView]>): LinkReason {
  const origins = views.flatMap(([n, f, v]) => (v.kind === 'content' && v.provenance ? [`${n ?? 'the operator'} holds ${f}: ${v.provenance}`] : []));
  return { code, message, side, node: end.filesOn, file, detail: origins.length ? `${detail} (${origins.join('; ')})` : detail };
}

/** Go's tls.X509KeyPair error for a certificate file without a usable certificate, or null. */
function certFileError(c: FileContent): string | null {
  if (c.certificates.length > 0) return null;
  if (c.malformed > 0) return 'x509: malformed certificate';
  if (c.otherBlocks.length === 0) return 'tls: failed to find any PEM data in certificate input';
  if (c.otherBlocks.length === 1 && c.otherBlocks[0].endsWith('PRIVATE KEY')) {
    return 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched';
  }
  return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${c.otherBlocks.join(' ')}]`;
}

/** Loads one side's certificate chain and key as Go's tls.LoadX509KeyPair; pushes what fails. */
function loadPair(side: Side, end: LinkEnd, lookup: FileLookup, out: LinkReason[]): CertFacts[] | null {
  const certView = lookup(end.filesOn, end.cert);
  const keyView = lookup(end.filesOn, end.key);
  const cannot = `${end.who} cannot load ${end.cert} and ${end.key} from ${where(end)}`;
  if (certView.kind === 'unavailable') {
    out.push(reason(side, end, end.cert, certView.code, certView.message, cannot));
    return null;
  }
  const certError = certFileError(certView.content);
  if (certError) {
    out.push(reason(side, end, end.cert, 'bad-file', certError, cannot, [end.filesOn, end.cert, certView]));
    return null;
  }
  if (keyView.kind === 'unavailable') {
    out.push(reason(side, end, end.key, keyView.code, keyView.message, cannot));
    return null;
  }
  const key = keyView.content.key;
  if (!key) {
    out.push(reason(side, end, end.key, 'bad-file', keyView.content.keyError ?? 'tls: failed to parse private key', cannot, [end.filesOn, end.key, keyView]));
    return null;
  }
  const leaf = certView.content.certificates[0];
  if (key.algorithm !== leaf.publicKeyAlgorithm) {
    out.push(reason(side, end, end.key, 'key-mismatch', 'tls: private key type does not match public key type', cannot, [end.filesOn, end.cert, certView], [end.filesOn, end.key, keyView]));
    return null;
  }
  if (key.publicKeyId !== leaf.publicKeyId) {
    out.push(reason(side, end, end.key, 'key-mismatch', 'tls: private key does not match public key', cannot, [end.filesOn, end.cert, certView], [end.filesOn, end.key, keyView]));
    return null;
  }
  return certView.content.certificates;
}

/** The certificates of a side's CA file, as x509.CertPool.AppendCertsFromPEM reads it; pushes what fails. */
function loadCa(side: Side, end: LinkEnd, lookup: FileLookup, out: LinkReason[]): CertFacts[] | null {
  const view = lookup(end.filesOn, end.ca);
  const cannot = `${end.who} cannot load its trusted CA file ${end.ca} from ${where(end)}`;
  if (view.kind === 'unavailable') {
    out.push(reason(side, end, end.ca, view.code, view.message, cannot));
    return null;
  }
  if (view.content.certificates.length === 0) {
    out.push(reason(side, end, end.ca, 'bad-file', 'unable to load root certificates: unable to parse bytes as PEM block', cannot, [end.filesOn, end.ca, view]));
    return null;
  }
  return view.content.certificates;
}

/** The Kubernetes identity of a client certificate: user CN, groups O. */
const identityText = (leaf: CertFacts) => `user ${goQuote(leaf.cn)}, groups [${leaf.o.join(' ')}]`;

/** What the API server refuses when the certificate does not carry the identity `rule` needs, or null. */
export function identityProblem(rule: IdentityRule, leaf: CertFacts): string | null {
  const user = goQuote(leaf.cn);
  if (rule.kind === 'group') {
    return leaf.o.includes(rule.group) ? null : `namespaces is forbidden: User ${user} cannot list resource "namespaces" in API group "" at the cluster scope`;
  }
  if (rule.kind === 'user') return leaf.cn === rule.user ? null : rule.denied.replace('%s', user);
  const isNode = leaf.cn.startsWith('system:node:') && leaf.o.includes('system:nodes');
  if (!isNode) return `nodes ${goQuote(rule.node)} is forbidden: User ${user} cannot get resource "nodes" in API group "" at the cluster scope`;
  const named = leaf.cn.slice('system:node:'.length);
  return named === rule.node ? null : `nodes ${goQuote(rule.node)} is forbidden: node ${goQuote(named)} is not allowed to modify node ${goQuote(rule.node)}`;
}

function wants(rule: IdentityRule): string {
  if (rule.kind === 'group') return `the group ${rule.group}`;
  if (rule.kind === 'user') return `the user ${rule.user}`;
  return `the user system:node:${rule.node} in the group system:nodes`;
}

/**
 * Checks one link at time `at` with the files `lookup` gives: ok, or fails with every reason in
 * the order the components would meet them. `verify` is goVerify, or the same function memoised
 * by a caller checking many links with the same files (links.service.ts: one per check).
 */
export function checkLink(link: LinkSpec, lookup: FileLookup, at: Date, verify: typeof goVerify = goVerify): LinkResult {
  const reasons: LinkReason[] = [];
  const { clientEnd: c, serverEnd: s } = link;
  const clientChain = loadPair('client', c, lookup, reasons);
  const clientRoots = loadCa('client', c, lookup, reasons);
  const serverChain = loadPair('server', s, lookup, reasons);
  const serverRoots = loadCa('server', s, lookup, reasons);
  const dial = `${link.address}:${link.port}`;
  if (serverChain && clientRoots) {
    const failure = verify(serverChain[0], { roots: clientRoots, intermediates: serverChain.slice(1), dnsName: link.address, usage: 'server auth', at });
    if (failure) {
      reasons.push(reason('server', s, s.cert, failure.code, failure.message,
        `${c.who} rejects the certificate ${s.who} serves at ${dial} (${s.cert}, checked against ${c.ca} of ${where(c)})`, [s.filesOn, s.cert, lookup(s.filesOn, s.cert)], [c.filesOn, c.ca, lookup(c.filesOn, c.ca)]));
    }
  }
  let clientVerified = false;
  if (clientChain && serverRoots) {
    const failure = verify(clientChain[0], { roots: serverRoots, intermediates: clientChain.slice(1), usage: 'client auth', at });
    clientVerified = !failure;
    if (failure) {
      reasons.push(reason('client', c, c.cert, failure.code, failure.message,
        `${s.who} rejects the client certificate of ${c.who} (${c.cert}, checked against ${s.ca} of ${where(s)}): "tls: failed to verify client certificate"`, [c.filesOn, c.cert, lookup(c.filesOn, c.cert)], [s.filesOn, s.ca, lookup(s.filesOn, s.ca)]));
    }
  }
  const needs: string[] = [];
  if (clientChain && clientVerified && link.sourceAddress) {
    const leaf = clientChain[0];
    const named = goVerifyHostname(leaf, link.sourceAddress);
    if (named && leaf.ipAddresses.length > 0 && leaf.dnsNames.length === 0) {
      reasons.push(reason('client', c, c.cert, 'hostname', named.message,
        `${s.who} checks that the peer certificate of ${c.who} names the address it connects from (${link.sourceAddress}): "rejected connection"`, [c.filesOn, c.cert, lookup(c.filesOn, c.cert)]));
    } else if (named && leaf.dnsNames.length > 0) {
      needs.push(`DNS: ${c.cert} of ${where(c)} does not name ${link.sourceAddress}, the address ${c.who} connects from; ${s.who} accepts it only if one of its DNS names (${leaf.dnsNames.join(', ')}) resolves to that address`);
    }
  }
  if (clientChain && link.identity) {
    const problem = identityProblem(link.identity, clientChain[0]);
    if (problem) {
      reasons.push(reason('client', c, c.cert, 'identity', problem,
        `${c.cert} authenticates ${c.who} as ${identityText(clientChain[0])}; it needs ${wants(link.identity)}`, [c.filesOn, c.cert, lookup(c.filesOn, c.cert)]));
    }
  }
  return { verdict: reasons.length ? 'fails' : 'ok', reasons, needs };
}

/**
 * The service-account key pair across the control plane: every controller-manager signs tokens
 * with its node's service-account-key.pem and every API server verifies them with its node's
 * service-account.pem, so all of these must be one key pair (else "invalid bearer token").
 */
export function serviceAccountCheck(controlPlanes: readonly string[], lookup: FileLookup): LinkConsistencyCheck {
  const reasons: LinkReason[] = [];
  let reference: { node: string; publicKeyId: string } | null = null;
  const invalid = 'Unable to authenticate the request: invalid bearer token';
  for (const node of controlPlanes) {
    const end: LinkEnd = { filesOn: node, cert: 'service-account.pem', key: 'service-account-key.pem', ca: 'ca.pem', who: `kube-apiserver and kube-controller-manager on ${node}` };
    const chain = loadPair('server', end, lookup, reasons);
    if (!chain) continue;
    if (!reference) {
      reference = { node, publicKeyId: chain[0].publicKeyId };
    } else if (chain[0].publicKeyId !== reference.publicKeyId) {
      reasons.push(reason('server', end, end.cert, 'key-mismatch', invalid,
        `${node} holds another service-account key pair than ${reference.node}: tokens signed on one are rejected by the API server of the other`, [end.filesOn, end.cert, lookup(node, end.cert)]));
    }
  }
  return { name: 'service-account key pair (same on every control-plane node)', verdict: reasons.length ? 'fails' : 'ok', reasons };
}
