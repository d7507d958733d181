/**
 * The remote folder rule (docs/domain.md section 4): which `remoteDir` settings kpki accepts,
 * and the absolute folder each names on the node. One rule for the topology check
 * (validateCluster) and for the SSH transport that writes there. Pure.
 *
 * - unset, "" or "~" -> the SSH user's home; "~/x" -> home/x; "/x" -> /x
 * - refused: a relative path ("x"), "~user", a ".." segment, a NUL or control character, "/" and
 *   the system folders of SYSTEM_FOLDERS (the folder itself; folders under them, e.g.
 *   /etc/kubernetes/pki, are fine)
 * - on the node (ssh/session.ts) the real path must equal the configured one (no symbolic link on
 *   the way) unless the node's SSH settings say `followLinks`, and must not be a system folder
 */

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** How to fix a refused remote folder, for messages. */
export const REMOTE_FOLDER_HINT = 'give an absolute path ("/etc/kubernetes/pki") or one under the SSH user\'s home ("~/pki"), without "..", not "/" nor a system folder such as /etc';

/** Folders kpki never writes keys into (the folder itself): the root and the system's own folders. */
export const SYSTEM_FOLDERS: readonly string[] = [
  '/', '/bin', '/boot', '/dev', '/etc', '/etc/cron.d', '/etc/pam.d', '/etc/ssh', '/etc/sudoers.d', '/etc/systemd', '/home', '/lib', '/lib64',
  '/proc', '/run', '/sbin', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/local/bin', '/usr/sbin', '/var', '/var/lib', '/var/tmp',
];

/** "is a system folder" when the absolute folder `path` (normalized) is one of SYSTEM_FOLDERS or an SSH folder, else null. */
export function systemFolderProblem(path: string): string | null {
  const p = normalizeAbsolutePath(path);
  if (p === null) return null;
  if (SYSTEM_FOLDERS.includes(p)) return p === '/' ? 'is the root folder "/"' : `is the system folder ${p}`;
  if (p.split('/').includes('.ssh')) return 'is in an SSH configuration folder (.ssh)';
  return null;
}

/** What is wrong with a remote folder setting ("is relative", ...), or null when kpki accepts it. */
export function remoteFolderProblem(dir: string | undefined): string | null {
  if (dir === undefined || dir === '') return null;
  if (CONTROL_CHARS.test(dir)) return 'contains a NUL or control character';
  if (dir.startsWith('~') && dir !== '~' && !dir.startsWith('~/')) return 'uses "~user"';
  if (!dir.startsWith('/') && dir !== '~' && !dir.startsWith('~/')) return 'is relative';
  if (dir.split('/').includes('..')) return 'contains a ".." segment';
  return dir.startsWith('/') ? systemFolderProblem(dir) : dir.split('/').includes('.ssh') ? 'is in an SSH configuration folder (.ssh)' : null;
}

/** True when the setting names a folder under the SSH user's home (unset, "~" or "~/x"). */
export const isUnderHome = (dir: string | undefined): boolean => !dir || dir === '~' || dir.startsWith('~/');

/** An absolute path with "//" and "." segments collapsed; null when it is not absolute or has "..". */
export function normalizeAbsolutePath(path: string): string | null {
  if (!path.startsWith('/')) return null;
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  return segments.includes('..') ? null : `/${segments.join('/')}`;
}

/**
 * The absolute folder an accepted setting names, with `home` the SSH user's home (absolute).
 * @throws Error when the setting is refused (remoteFolderProblem) or home is not absolute.
 */
export function resolveRemoteFolder(dir: string | undefined, home: string): string {
  const problem = remoteFolderProblem(dir);
  if (problem) throw new Error(`remote folder ${JSON.stringify(dir)} ${problem}`);
  const path = !dir || dir === '~' ? home : dir.startsWith('~/') ? `${home}/${dir.slice(2)}` : dir;
  const resolved = normalizeAbsolutePath(path);
  if (resolved === null) throw new Error(`remote folder ${JSON.stringify(dir)} does not resolve to an absolute path (home ${JSON.stringify(home)})`);
  return resolved;
}
