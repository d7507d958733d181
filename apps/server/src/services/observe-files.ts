/**
 * During a verify, the files whose content kpki does not know (neither an issued version nor
 * seen before) are read once and recorded as what Go would find in them (observed-files
 * repository): the link check can then say what a tampered or foreign file does, in the words
 * of the component that reads it. Keys are parsed only for their public half.
 */
import { createHash } from 'node:crypto';
import type { NodeFileStatus } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { observeFile } from '../pki/cert-facts.ts';
import type { SshSession } from '../ssh/transport.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { ExpectedFile } from './node-status.ts';

/** Largest file read: a certificate or key is a few KiB, a bundle of CAs a few dozen. */
export const OBSERVE_MAX_BYTES = 256 * 1024;

/** Reads and records every file of `files` whose remote content is unknown to the cluster. A file that cannot be read stays unknown. */
export async function observeUnknownFiles(
  deps: Deps, row: ClusterRow, session: SshSession, dir: string, expected: ExpectedFile[], files: Array<Pick<NodeFileStatus, 'file' | 'remoteSha256' | 'expectedSha256'>>,
): Promise<void> {
  const parts = new Map(expected.map((e) => [e.file, e.part]));
  for (const f of files) {
    const part = parts.get(f.file);
    const sha = f.remoteSha256;
    if (!sha || sha === f.expectedSha256 || (part !== 'cert' && part !== 'key')) continue;
    if (deps.certificates.wasIssued(row.id, sha) || deps.observedFiles.has(row.id, sha)) continue;
    try {
      const content = await session.readFile(dir, f.file, OBSERVE_MAX_BYTES);
      if (!content) continue;
      // recorded under the hash of what was read (the file may have changed since it was hashed)
      const readSha = createHash('sha256').update(content).digest('hex');
      deps.observedFiles.put(row.id, readSha, observeFile(content.toString('utf8'), part), deps.now().toISOString());
    } catch {
      /* unreadable or too large: the link check reports its content as unknown */
    }
  }
}
