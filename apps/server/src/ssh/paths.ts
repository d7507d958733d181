/**
 * Remote path rules of the SSH transport: how a node's `remoteDir` setting becomes an absolute
 * folder, and which file names may be written. Pure functions, no network.
 */
import { posix } from 'node:path';
import { SshError } from './errors.ts';

/**
 * Resolve a node's remote folder setting against the SSH user's home (as SFTP reports it).
 *
 * - undefined, "" or "~" -> home
 * - "~/x" -> home/x; "x" (relative) -> home/x
 * - "/x" -> kept
 * - ".." segments, "~user", control characters -> SSH_NOT_CONFIGURED
 *
 * `home` may be a function, called only when the home folder is needed.
 */
export async function resolveRemoteDir(
  remoteDir: string | undefined,
  home: string | (() => Promise<string>),
  node = 'node',
): Promise<string> {
  const raw = (remoteDir ?? '').trim();
  checkRemoteDirSyntax(raw, remoteDir ?? '', node);
  const homeDir = async () => (typeof home === 'string' ? home : home());
  let path: string;
  if (raw === '' || raw === '~') path = await homeDir();
  else if (raw.startsWith('~/')) path = `${await homeDir()}/${raw.slice(2)}`;
  else if (raw.startsWith('/')) path = raw;
  else path = `${await homeDir()}/${raw}`;
  return normalizeAbsolute(path, remoteDir ?? '', node);
}

/** Throw SSH_NOT_CONFIGURED for remote folder settings kpki will not use. */
export function checkRemoteDirSyntax(raw: string, original: string, node: string): void {
  const bad = (why: string) =>
    new SshError('SSH_NOT_CONFIGURED', `remote folder ${JSON.stringify(original)} of node ${node} ${why}`, { node });
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw bad('contains control characters: fix the node\'s SSH settings');
  if (raw.startsWith('~') && raw !== '~' && !raw.startsWith('~/')) {
    throw bad('uses "~user": give an absolute path, "~" or "~/folder"');
  }
  if (raw.split('/').includes('..')) throw bad('contains "..": give an absolute path or "~/folder" without ".."');
}

/** Collapse "//" and "." segments of an absolute path; refuse "..". */
export function normalizeAbsolute(path: string, original: string, node: string): string {
  if (!path.startsWith('/')) {
    throw new SshError('SSH_NOT_CONFIGURED', `remote folder ${JSON.stringify(original)} of node ${node} does not resolve to an absolute path`, { node });
  }
  const segs = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.includes('..')) {
    throw new SshError('SSH_NOT_CONFIGURED', `remote folder ${JSON.stringify(original)} of node ${node} contains "..": give a path without ".."`, { node });
  }
  return '/' + segs.join('/');
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
