/**
 * Drift: how a file on a node compares with what the node must hold, and why. Pure: the server
 * feeds it the node's last-known remote hashes and a lookup of the contents kpki ever issued,
 * so a state is judged again whenever the expected files change, without contacting the node.
 */
import type { DriftReason, FileState, NodeState } from './api/nodes.ts';

/** A file the node must hold now. */
export interface ExpectedContent {
  file: string;
  /** permission bits, e.g. 0o600 */
  mode: number;
  /** SHA-256 hex of the content; '' when not issued yet */
  sha256: string;
}

/** What the last look found: null when the file was absent, undefined when it was not looked at. */
export interface RemoteContent {
  sha256: string;
  mode: number;
}

/** A content kpki issued or generated: which file of which version it is. */
export interface KnownContent {
  /** the file name it has on a node, e.g. "kube-proxy.pem", "worker1.kubeconfig" */
  file: string;
  /** the certificate's serial; null for a generated file (a kubeconfig, the encryption config) */
  serial: string | null;
  /** true for the current version */
  current: boolean;
  /** when a newer version replaced it (ISO 8601), null for the current one */
  supersededAt: string | null;
}

export type IdentifyContent = (sha256: string) => KnownContent | null;

export const modeString = (m: number) => '0' + (m & 0o777).toString(8).padStart(3, '0');

/** "2026-12-02 04:12 UTC" (sentences never carry raw ISO strings). */
export function sentenceTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** A file is secret when nobody but its owner may read it (keys, and any 0600 file). */
export const isSecretMode = (expectedMode: number) => (expectedMode & 0o077) === 0;

/**
 * The reason for a right content with a wrong mode. For a secret, any access by the group or
 * others is a security problem; for any file, being writable by others is one (it can be
 * replaced). E.g. "worker1-key.pem is 0644: readable by every user on the node; expected 0600".
 */
export function modeReason(file: string, actual: number, expected: number): DriftReason {
  const exposes: string[] = [];
  const secret = isSecretMode(expected);
  if (secret && actual & 0o004) exposes.push('readable by every user on the node');
  else if (secret && actual & 0o040) exposes.push("readable by the file's group");
  if (actual & 0o002) exposes.push('writable by every user on the node');
  else if (actual & 0o020) exposes.push("writable by the file's group");
  const got = modeString(actual);
  const want = modeString(expected);
  if (exposes.length) return { message: `${file} is ${got}: ${exposes.join(' and ')}; expected ${want}`, security: true };
  const unreadable = !secret && (actual & 0o044) !== (expected & 0o044) ? ': components running as another user may not read it' : '';
  return { message: `${file} is ${got}${unreadable}; expected ${want}`, security: false };
}

/** Judges one expected file against what the node held at its last look. */
export function judgeFile(expected: ExpectedContent, remote: RemoteContent | null | undefined, identify: IdentifyContent): { state: FileState; reason: DriftReason | null } {
  const { file } = expected;
  if (remote === undefined) return { state: 'unknown', reason: { message: `${file} was not looked at yet: verify the node` } };
  if (remote === null) return { state: 'missing', reason: { message: `${file} is not on the node` } };
  if (expected.sha256 && remote.sha256 === expected.sha256) {
    if ((remote.mode & 0o777) === expected.mode) return { state: 'in-sync', reason: null };
    return { state: 'mode', reason: modeReason(file, remote.mode & 0o777, expected.mode) };
  }
  const known = identify(remote.sha256);
  if (known && known.file === file && known.current) {
    // the current content under another hash cannot be; judge it by its mode like a match
    return (remote.mode & 0o777) === expected.mode ? { state: 'in-sync', reason: null } : { state: 'mode', reason: modeReason(file, remote.mode & 0o777, expected.mode) };
  }
  if (known && known.file === file) {
    const details = [known.serial && `serial ${known.serial}`, known.supersededAt && `superseded ${sentenceTime(known.supersededAt)}`].filter(Boolean);
    return {
      state: 'stale',
      reason: {
        message: `an earlier version of ${file}${details.length ? ` (${details.join(', ')})` : ''}`,
        ...(known.serial ? { serial: known.serial } : {}), ...(known.supersededAt ? { supersededAt: known.supersededAt } : {}),
      },
    };
  }
  if (known && known.file !== file) {
    const version = known.current ? '' : ` (an earlier version${known.serial ? `, serial ${known.serial}` : ''})`;
    return { state: 'foreign', reason: { message: `this is ${known.file}${version}, not ${file}`, is: known.file } };
  }
  return { state: 'foreign', reason: { message: `${file} holds content kpki never issued` } };
}

const WORST_FIRST: ReadonlyArray<[FileState, NodeState]> = [
  ['foreign', 'foreign'], ['mode', 'mode'], ['stale', 'stale'], ['missing', 'missing'], ['unknown', 'not-checked'],
];

/** A node's state from its files' states: the worst of them, in-sync when every file is. */
export function nodeStateOf(states: FileState[]): NodeState {
  for (const [file, node] of WORST_FIRST) if (states.includes(file)) return node;
  return 'in-sync';
}
