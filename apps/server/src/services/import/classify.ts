/**
 * The tutorial's layout against the catalog (issue 14, item 2): each certificate file is the
 * catalog's certificate its file name says (<name>.pem) or, failing that, its subject (CN), and
 * is compared with that plan entry by the same rules as the change review (planDifferences of
 * @kpki/shared: subject, SANs with the plan's reasons, usages, key algorithm, validity), then
 * checked for its key (X-key.pem, public keys compared), its chain (against the imported ca.pem)
 * and its dates. Pure.
 */
import { buildCatalog, planDifferences, type ClusterInput, type FieldDifference, type ImportedFile, type ImportProblem, type PlannedCertificate, type UnrecognisedFile } from '@kpki/shared';
import { certificateFacts } from '../../pki/facts.ts';
import { chainCheck, dateProblem, keyCheck } from './checks.ts';
import { keyPathFor, stemOf, type ReadCertificate, type ReadFiles } from './read.ts';

const KUBELET_CN = 'system:node:';

/** A certificate file taken as a catalog entry. */
interface Claim {
  cert: ReadCertificate;
  planned: PlannedCertificate;
  /** matched by its file name (else by its subject) */
  byName: boolean;
}

export interface TutorialClassification {
  files: ImportedFile[];
  unrecognised: UnrecognisedFile[];
  /** report-level problems: CA missing, CA key missing or not matching, certificates of the plan missing */
  problems: ImportProblem[];
  /** the CA certificate taken, null when none */
  ca: ReadCertificate | null;
  /** the CA key is there and matches the CA certificate */
  hasCaKey: boolean;
  /** why it cannot be adopted (null: it can) */
  notAdoptable: string | null;
}

function differenceProblem(d: FieldDifference, planned: PlannedCertificate): ImportProblem | null {
  if (d.field === 'subject.CN') return null; // judged with the node names (cnProblem)
  if (d.field === 'san' && d.change === 'added') {
    const reason = planned.sans.find((s) => s.value === d.to)?.reason;
    return { code: 'SAN_MISSING', message: `SAN ${d.to} missing${reason ? `: ${reason}` : ''}` };
  }
  if (d.field === 'san') {
    return { code: 'SAN_EXTRA', message: `extra SAN ${d.from}: nothing in the topology needs it (to keep it, add it to the cluster's extra SANs for ${planned.name})` };
  }
  if (d.field.startsWith('subject.')) {
    const key = d.field.slice('subject.'.length);
    const what = key === 'O' ? `wrong O: ${planned.identity ?? planned.usedFor} needs O "${d.to ?? ''}"` : `the plan gives ${key} ${d.to === null ? '(none)' : `"${d.to}"`} (the cluster's subject)`;
    return { code: 'SUBJECT', message: `subject ${key} is ${d.from === null ? '(none)' : `"${d.from}"`}; ${what}` };
  }
  if (d.field === 'usages') return { code: 'USAGES', message: `usages ${d.from}; the tutorial's kubernetes profile gives ${d.to}` };
  if (d.field === 'keyAlgorithm') return { code: 'KEY_ALGORITHM', message: `key algorithm ${d.from}; the cluster's is ${d.to}` };
  if (d.field === 'validity') {
    return { code: 'VALIDITY', message: `valid for ${d.from}; the cluster's plan gives ${d.to} (${planned.isCa ? 'caValidityHours' : 'certValidityHours'})` };
  }
  return { code: 'DIFFERS', message: d.reason };
}

function cnProblem(claim: Claim, cluster: ClusterInput, byCn: Map<string, PlannedCertificate>): ImportProblem | null {
  const { cert, planned } = claim;
  if (cert.cn === planned.cn) return null;
  if (planned.kind === 'kubelet' && cert.cn.startsWith(KUBELET_CN)) {
    const other = cert.cn.slice(KUBELET_CN.length);
    const known = cluster.nodes.some((n) => n.name === other) ? 'another node of the cluster' : 'a node the topology does not have';
    return {
      code: 'CN_OTHER_NODE',
      message: `CN "${cert.cn}" names node ${other} (${known}), not ${planned.name}: the API server would take ${planned.name}'s kubelet for ${other}; the plan gives "${planned.cn}"`,
    };
  }
  const owner = byCn.get(cert.cn);
  return {
    code: 'CN_MISMATCH',
    message: `CN "${cert.cn}"${owner ? ` is the CN of ${owner.name}` : ''}; the plan gives "${planned.cn}" for ${planned.name} (${planned.identity ?? planned.usedFor})`,
  };
}

/** Claims by file name first, then by CN; what claims nothing is unrecognised. */
function claim(read: ReadFiles, catalog: PlannedCertificate[]): { claims: Claim[]; unrecognised: UnrecognisedFile[] } {
  const byName = new Map(catalog.map((p) => [p.name, p]));
  const byCn = new Map(catalog.map((p) => [p.cn, p]));
  const claims: Claim[] = [];
  const unrecognised: UnrecognisedFile[] = [];
  for (const cert of read.certificates) {
    const named = byName.get(stemOf(cert.path));
    if (named) {
      claims.push({ cert, planned: named, byName: true });
      continue;
    }
    const bySubject = byCn.get(cert.cn);
    if (bySubject) {
      claims.push({ cert, planned: bySubject, byName: false });
      continue;
    }
    const subject = `CN=${cert.cn}${cert.o ? `, O=${cert.o}` : ''}`;
    const why = cert.cn.startsWith(KUBELET_CN)
      ? `a kubelet certificate (${subject}) of node ${cert.cn.slice(KUBELET_CN.length)}, which the topology does not have: add the worker to the topology, or leave the file out`
      : cert.isCa ? `a CA certificate (${subject}) other than the cluster's CA (ca.pem)` : `a certificate (${subject}) that matches no certificate of the plan by file name or CN`;
    unrecognised.push({ path: cert.path, reason: why });
  }
  return { claims, unrecognised };
}

/**
 * Classifies the certificates of a tutorial layout against the plan of `cluster`, at `now`.
 * Files come in catalog order (a second file for one certificate after it, with DUPLICATE).
 */
export function classifyTutorial(read: ReadFiles, cluster: ClusterInput, now: Date): TutorialClassification {
  const catalog = buildCatalog(cluster);
  const byCn = new Map(catalog.map((p) => [p.cn, p]));
  const { claims, unrecognised } = claim(read, catalog);
  const certificates = read.certificates;

  // one winner per catalog name: the file named after it, else the first by path
  const winners = new Map<string, Claim>();
  for (const c of claims) {
    const held = winners.get(c.planned.name);
    if (!held || (!held.byName && c.byName)) winners.set(c.planned.name, c);
  }
  const caClaim = winners.get('ca') ?? null;
  const ca = caClaim?.cert ?? null;
  const caKeyPath = ca ? keyPathFor(ca.path, read.keys) : null;
  const caKey = caKeyPath ? read.keys.get(caKeyPath) : undefined;
  const caKeyMatches = !!(ca && caKey?.spki && caKey.spki.equals(ca.spki));

  const files: ImportedFile[] = [];
  const ordered = [
    ...catalog.flatMap((p) => (winners.has(p.name) ? [winners.get(p.name)!] : [])),
    ...claims.filter((c) => winners.get(c.planned.name) !== c),
  ];
  for (const c of ordered) {
    const { cert, planned } = c;
    const duplicate = winners.get(planned.name) !== c;
    const problems: ImportProblem[] = [];
    if (duplicate) {
      problems.push({ code: 'DUPLICATE', message: `${winners.get(planned.name)!.cert.path} is ${planned.name} already: this second file for it is set aside` });
    }
    if (!c.byName) {
      problems.push({ code: 'FILE_NAME', message: `${cert.path} is ${planned.name} by its subject (CN "${cert.cn}"); kpki names its files ${planned.name}.pem and ${planned.name}-key.pem on the nodes` });
    }
    if (planned.isCa && !cert.isCa) problems.push({ code: 'NOT_CA', message: `${cert.path} is not a CA certificate (basic constraints CA:TRUE missing): it cannot sign the cluster's certificates` });
    const cn = cnProblem(c, cluster, byCn);
    if (cn) problems.push(cn);
    const facts = { name: planned.name, ...certificateFacts(cert.pem) };
    for (const d of planDifferences(cluster, planned, facts, ca ? ca.loaded.notAfter.toISOString() : null)) {
      const p = differenceProblem(d, planned);
      if (p) problems.push(p);
    }
    const keyPath = keyPathFor(cert.path, read.keys);
    const key = keyCheck(cert, keyPath, keyPath ? read.keys.get(keyPath) : undefined, certificates);
    if (key.problem) problems.push(key.problem);
    if (keyPath === null && !planned.isCa) {
      problems.push({ code: 'KEY_MISSING', message: `no key file for ${cert.path} (${stemOf(cert.path)}-key.pem): without it kpki cannot distribute this certificate; renew it after adoption` });
    }
    const chain = ca ? chainCheck(cert, ca) : { ok: false, message: 'no CA certificate (ca.pem) in the import to verify it against' };
    if (ca && !chain.ok) problems.push({ code: 'CHAIN', message: chain.message });
    const dates = dateProblem(cert, now);
    if (dates) problems.push(dates);
    const keyOk = planned.isCa ? key.keyMatches !== false : key.keyMatches === true;
    files.push({
      path: cert.path, keyPath, name: planned.name, role: `${planned.usedBy}: ${planned.usedFor}`,
      cn: cert.cn, o: cert.o, issuer: cert.issuer, serial: cert.loaded.serial,
      sans: cert.ext.san?.names.map((s) => ({ type: s.type, value: s.value })) ?? [], usages: cert.usages, isCa: cert.isCa,
      notBefore: cert.loaded.notBefore.toISOString(), notAfter: cert.loaded.notAfter.toISOString(), sha256: cert.loaded.node.fingerprint256,
      keyMatches: key.keyMatches, chain, adoptable: !duplicate && chain.ok && keyOk && (!planned.isCa || cert.isCa), problems,
    });
  }

  const problems: ImportProblem[] = [];
  let notAdoptable: string | null = null;
  if (!ca) {
    problems.push({ code: 'CA_MISSING', message: 'the import has no CA certificate (ca.pem, or a certificate with the CA\'s CN "Kubernetes"): nothing can be verified or adopted without it' });
    notAdoptable = 'the import has no CA certificate (ca.pem)';
  } else if (caKeyPath && !caKeyMatches) {
    problems.push({ code: 'CA_KEY_MISMATCH', message: `${caKeyPath} is not the key of ${ca.path}: kpki would sign with a key no node trusts` });
    notAdoptable = `the CA key ${caKeyPath} does not match the CA certificate ${ca.path}`;
  } else if (!ca.isCa) {
    notAdoptable = `${ca.path} is not a CA certificate`;
  } else if (!caKeyPath) {
    problems.push({ code: 'CA_KEY_MISSING', message: `no CA key (${stemOf(ca.path)}-key.pem): the import can be adopted, but kpki cannot renew or issue any certificate until the CA key is imported` });
  }
  for (const p of catalog) {
    if (!winners.has(p.name)) {
      problems.push({ code: 'CERTIFICATE_MISSING', message: `${p.name}.pem is not in the import (${p.usedBy}): kpki issues it after adoption` });
    }
  }
  return { files, unrecognised, problems, ca, hasCaKey: caKeyMatches, notAdoptable };
}
