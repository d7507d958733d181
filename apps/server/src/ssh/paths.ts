/**
 * Remote path rules of the SSH transport: how a node's `remoteDir` setting becomes an absolute
 * folder (the shared rule of packages/shared/src/remote-folder.ts), and which file names may be
 * written. Pure functions, no network.
 */
import { posix } from 'node:path';
import { isUnderHome, normalizeAbsolutePath, REMOTE_FOLDER_HINT, remoteFolderProblem, resolveRemoteFolder } from '@kpki/shared/remote-folder';
import { SshError } from './errors.ts';

/**
 * The absolute folder of a node's `remoteDir` setting, by the one rule of
 * packages/shared/src/remote-folder.ts: unset or "~" -> home, "~/x" -> home/x, "/x" kept;
 * relative paths, "~user", ".." and control characters -> SSH_NOT_CONFIGURED.
 * `home` may be a function, called only when the setting names a folder under the home.
 */
export async function resolveRemoteDir(
  remoteDir: string | undefined,
  home: string | (() => Promise<string>),
  node = 'node',
): Promise<string> {
  const problem = remoteFolderProblem(remoteDir);
  if (problem) {
    throw new SshError('SSH_NOT_CONFIGURED', `remote folder ${JSON.stringify(remoteDir)} of node ${node} ${problem}: ${REMOTE_FOLDER_HINT}`, { node });
  }
  const homeDir = isUnderHome(remoteDir) ? normalizeAbsolute(typeof home === 'string' ? home : await home(), remoteDir ?? '', node) : '/';
  return resolveRemoteFolder(remoteDir, homeDir);
}

/** Collapse "//" and "." segments of an absolute path; refuse a relative path or "..". */
export function normalizeAbsolute(path: string, original: string, node: string): string {
  const normalized = normalizeAbsolutePath(path);
  if (normalized === null) {
    throw new SshError('SSH_NOT_CONFIGURED', `remote folder ${JSON.stringify(original)} of node ${node} does not resolve to an absolute path without "..": ${REMOTE_FOLDER_HINT}`, { node });
  }
  return normalized;
}

/** A plain file name: no slash, not "." or "..", no control characters, at most 255 bytes. */
export function checkFileName(name: string, node: string): void {
  // eslint-disable-next-line no-control-regex
  if (!name || name === '.' || name === '..' || name.includes('/') || /[\x00-\x1f\x7f]/.test(name) || Buffer.byteLength(name) > 255) {
    throw new SshError('SSH_NOT_CONFIGURED', `invalid remote file name ${JSON.stringify(name)} for node ${node}`, { node });
  }
}

/** Join an absolute folder (already resolved) and a file name. */
export function remoteJoin(dir: string, name: string): string {
  return posix.join(dir, name);
}
