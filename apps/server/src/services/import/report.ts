/**
 * The import report (issue 14, item 2): the layout, each recognised file with its catalog name
 * and problems, kubeconfigs, what was not recognised, and whether the import can be adopted and
 * why not. Pure: entries and a topology in, a report out; nothing is stored. No private key
 * material ever reaches the report (keys are read for their public half only).
 */
import type { ClusterInput, ImportLayout, ImportProblem, ImportReport, UnrecognisedFile } from '@kpki/shared';
import type { ImportEntry } from './archive.ts';
import { classifyTutorial } from './classify.ts';
import { inventoryKubeadm, inventoryKubeconfig, kubeadmRoot } from './inventory.ts';
import { readFiles, type ReadFiles } from './read.ts';

const READ_ONLY: Record<'kubeadm' | 'kubeconfig', string> = {
  kubeadm: 'a kubeadm pki folder is inventoried and checked, not adopted: kpki manages the tutorial\'s layout (one CA, the catalog\'s certificates and file names), and kubeadm\'s three CAs (cluster, etcd, front proxy) and its file names have no place in that plan',
  kubeconfig: 'kubeconfigs are inventoried and checked, not adopted: kpki generates its own kubeconfigs from the certificates it manages; import the certificates themselves (ca.pem, <name>.pem, <name>-key.pem) to adopt them',
};

/** Which layout the files are in (see ImportLayout). */
export function detectLayout(read: ReadFiles): { layout: ImportLayout; kubeadmRoot: string | null } {
  const root = kubeadmRoot(read);
  if (root !== null) return { layout: 'kubeadm', kubeadmRoot: root };
  if (read.certificates.length > 0) return { layout: 'tutorial', kubeadmRoot: null };
  if (read.kubeconfigs.length > 0) return { layout: 'kubeconfig', kubeadmRoot: null };
  return { layout: 'unknown', kubeadmRoot: null };
}

/**
 * The report of an import into `cluster` (its topology defines the plan), judged at `now`.
 * tutorial: every file against the catalog (classifyTutorial); adoptable when its CA certificate
 * is there and a CA key, when there is one, matches it. kubeadm and kubeconfig: inventoried,
 * never adoptable, with the reason. unknown: nothing recognised.
 */
export function buildImportReport(entries: ImportEntry[], cluster: ClusterInput, now: Date = new Date()): ImportReport {
  const read = readFiles(entries);
  const { layout, kubeadmRoot: root } = detectLayout(read);
  const unrecognised: UnrecognisedFile[] = [...read.other];
  const problems: ImportProblem[] = [];
  const base = { layout, checkedAt: now.toISOString() };

  if (layout === 'tutorial') {
    const t = classifyTutorial(read, cluster, now);
    const usedKeys = new Set(t.files.map((f) => f.keyPath).filter((p): p is string => p !== null));
    for (const keyPath of read.keys.keys()) {
      if (!usedKeys.has(keyPath)) unrecognised.push({ path: keyPath, reason: 'a private key whose certificate is not recognised in the import' });
    }
    for (const p of read.publicKeys.keys()) unrecognised.push({ path: p, reason: 'a public key: the tutorial\'s layout has none (the service account uses service-account.pem)' });
    unrecognised.push(...t.unrecognised);
    return {
      ...base,
      adoptable: t.notAdoptable === null,
      notAdoptableReason: t.notAdoptable,
      hasCaKey: t.hasCaKey,
      files: t.files,
      kubeconfigs: read.kubeconfigs.map((k) => inventoryKubeconfig(k, now, t.ca)),
      keyPairs: [],
      unrecognised: sortByPath(unrecognised),
      problems: t.problems,
    };
  }
  if (layout === 'kubeadm') {
    const inv = inventoryKubeadm(read, root!, now);
    unrecognised.push(...inv.unrecognised);
    problems.push({ code: 'READ_ONLY_LAYOUT', message: READ_ONLY.kubeadm });
    return {
      ...base, adoptable: false, notAdoptableReason: READ_ONLY.kubeadm, hasCaKey: false,
      files: inv.files, kubeconfigs: read.kubeconfigs.map((k) => inventoryKubeconfig(k, now)), keyPairs: inv.keyPairs,
      unrecognised: sortByPath(unrecognised), problems,
    };
  }
  if (layout === 'kubeconfig') {
    problems.push({ code: 'READ_ONLY_LAYOUT', message: READ_ONLY.kubeconfig });
    for (const keyPath of read.keys.keys()) unrecognised.push({ path: keyPath, reason: 'a private key without a certificate in the import' });
    return {
      ...base, adoptable: false, notAdoptableReason: READ_ONLY.kubeconfig, hasCaKey: false,
      files: [], kubeconfigs: read.kubeconfigs.map((k) => inventoryKubeconfig(k, now)), keyPairs: [],
      unrecognised: sortByPath(unrecognised), problems,
    };
  }
  for (const keyPath of read.keys.keys()) unrecognised.push({ path: keyPath, reason: 'a private key without a certificate in the import' });
  const why = entries.length === 0 ? 'the import holds no file' : 'the import holds no certificate and no kubeconfig kpki recognises';
  problems.push({ code: 'NOTHING_RECOGNISED', message: `${why}: send the folder the tutorial's cfssl commands wrote (ca.pem, ca-key.pem, <name>.pem, <name>-key.pem)` });
  return {
    ...base, adoptable: false, notAdoptableReason: why, hasCaKey: false,
    files: [], kubeconfigs: [], keyPairs: [], unrecognised: sortByPath(unrecognised), problems,
  };
}

function sortByPath<T extends { path: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
