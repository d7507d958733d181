/**
 * An open SSH connection to one node, with its SFTP channel: the file operations distribution needs.
 *
 * Every operation works on absolute paths (get one from {@link SshSession.resolveDir}), never
 * follows "..", and maps failures to {@link SshError}s naming the node and the path. Requests are
 * independent, so callers may run several at once on one session (SFTP pipelines them).
 */
import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import { SshError, type SshErrorCode } from './errors.ts';
import { checkFileName, normalizeAbsolute, remoteJoin, resolveRemoteDir } from './paths.ts';
import { systemFolderProblem } from '@kpki/shared/remote-folder';
import { FX, reason, sftpCode, typeOf } from './sftp-util.ts';

/** One entry of a remote folder. */
export interface RemoteEntry {
  name: string;
  /** permission bits only (mode & 0o7777), e.g. 0o600 */
  mode: number;
  size: number;
  mtimeMs: number;
  type: ReturnType<typeof typeOf>;
}

/** SHA-256 (hex) and permission bits of a remote file. */
export interface RemoteHash {
  sha256: string;
  mode: number;
}

export interface SessionInfo {
  node: string;
  host: string;
  port: number;
  user: string;
  /** fingerprint of the host key the node presented (equal to the pinned one) */
  hostKey: string;
  /** per SFTP request, default 30 s; on expiry the connection is closed */
  operationTimeoutMs: number;
}

const READ_CHUNK = 32 * 1024;

export class SshSession {
  readonly node: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly hostKey: string;
  private readonly opTimeoutMs: number;
  private home: string | undefined;
  private lost: string | undefined;
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly sftp: SFTPWrapper,
    info: SessionInfo,
  ) {
    this.node = info.node;
    this.host = info.host;
    this.port = info.port;
    this.user = info.user;
    this.hostKey = info.hostKey;
    this.opTimeoutMs = info.operationTimeoutMs;
    client.on('error', (err) => (this.lost ??= err.message));
    client.on('close', () => {
      this.closed = true;
      this.lost ??= 'connection closed';
    });
  }

  /** Run one SFTP request with a timeout; raw errors are passed through for the caller to map. */
  private op<T>(start: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    if (this.lost) {
      return Promise.reject(new SshError('SSH_UNREACHABLE', `connection to ${this.node} (${this.host}:${this.port}) was lost: ${this.lost}`, { node: this.node }));
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.lost ??= `no answer to an SFTP request within ${this.opTimeoutMs} ms`;
        reject(new SshError('SSH_UNREACHABLE', `${this.node} (${this.host}:${this.port}) stopped answering: ${this.lost}`, { node: this.node }));
        this.client.end();
      }, this.opTimeoutMs);
      try {
        start((err, value) => {
          clearTimeout(timer);
          if (err) reject(this.lost ? new SshError('SSH_UNREACHABLE', `connection to ${this.node} was lost: ${this.lost}`, { node: this.node, cause: err }) : err);
          else resolve(value as T);
        });
      } catch (err) {
        clearTimeout(timer);
        reject(err);
      }
    });
  }

  private fail(code: SshErrorCode, path: string, message: string, cause?: unknown): SshError {
    if (cause instanceof SshError) return cause;
    return new SshError(code, message, { node: this.node, path, cause });
  }

  private checkDir(dir: string): string {
    return normalizeAbsolute(dir, dir, this.node);
  }

  /** The SSH user's home as the SFTP server sees it (`realpath('.')`), cached. */
  async homeDir(): Promise<string> {
    if (this.home === undefined) {
      try {
        this.home = await this.op<string>((cb) => this.sftp.realpath('.', cb));
      } catch (err) {
        throw this.fail('SSH_UNREACHABLE', '.', `cannot find the home folder of ${this.user} on ${this.node}: ${reason(err)}`, err);
      }
    }
    return this.home;
  }

  /**
   * Absolute remote folder for a node setting: undefined/"~" -> home, "~/x" -> home/x, "/x" kept,
   * ".." refused; then checked on the node: its real path (symbolic links resolved, or that of its
   * deepest existing parent while it does not exist yet) must be the configured one unless
   * `followLinks` (then the real path is used), and never "/" or a system folder.
   * @throws SshError SSH_NOT_CONFIGURED
   */
  async resolveDir(remoteDir?: string, followLinks = false): Promise<string> {
    const dir = await resolveRemoteDir(remoteDir, () => this.homeDir(), this.node);
    let existing = dir;
    let real: string;
    for (;;) {
      try {
        real = await this.op<string>((cb) => this.sftp.realpath(existing, cb));
        break;
      } catch (err) {
        if (sftpCode(err) !== FX.NO_SUCH_FILE || existing === '/') throw this.fail('SSH_UNREACHABLE', existing, `cannot look at folder ${this.node}:${existing}: ${reason(err)}`, err);
        existing = posix.dirname(existing);
      }
    }
    const resolved = existing === dir ? real : posix.join(real, dir.slice(existing.length));
    const system = systemFolderProblem(resolved);
    if (system) {
      throw new SshError('SSH_NOT_CONFIGURED', `remote folder ${dir} of node ${this.node}${resolved !== dir ? ` (really ${resolved})` : ''} ${system}: ` +
        'kpki does not write keys there; choose a folder of their own, e.g. /etc/kubernetes/pki', { node: this.node, path: dir });
    }
    if (real !== existing) {
      if (followLinks) return resolved;
      throw new SshError('SSH_NOT_CONFIGURED', `remote folder ${dir} of node ${this.node} is, or lies under, a symbolic link: ` +
        `${existing} leads to ${real}. kpki does not follow links there (whoever can change the link can redirect the keys): set the remote ` +
        `folder to ${resolved}, or allow links in the node's SSH settings (followLinks)`, { node: this.node, path: dir });
    }
    return dir;
  }

  private async statOrNull(path: string): Promise<Stats | null> {
    try {
      return await this.op<Stats>((cb) => this.sftp.stat(path, cb));
    } catch (err) {
      if (sftpCode(err) === FX.NO_SUCH_FILE) return null;
      throw err;
    }
  }

  /** `mkdir -p` over SFTP. New folders get `mode` (default 0o700: they hold private keys). */
  async ensureDir(dir: string, mode = 0o700): Promise<void> {
    const abs = this.checkDir(dir);
    const where = `${this.node}:${abs}`;
    let st: Stats | null;
    try {
      st = await this.statOrNull(abs);
    } catch (err) {
      throw this.fail('SSH_WRITE_FAILED', abs, `cannot look at folder ${where}: ${reason(err)}`, err);
    }
    if (st) {
      if (st.isDirectory()) return;
      throw this.fail('SSH_WRITE_FAILED', abs, `${where} exists but is not a folder: remove it or choose another remote folder`);
    }
    const parent = posix.dirname(abs);
    if (parent !== abs) await this.ensureDir(parent, mode);
    try {
      await this.op<void>((cb) => this.sftp.mkdir(abs, { mode }, cb));
      await this.op<void>((cb) => this.sftp.chmod(abs, mode, cb)); // exactly `mode`, whatever the node's umask
    } catch (err) {
      const again = await this.statOrNull(abs).catch(() => null); // created meanwhile by a parallel call?
      if (again?.isDirectory()) return;
      throw this.fail('SSH_WRITE_FAILED', abs, `cannot create folder ${where}: ${reason(err)} (user ${this.user}): create it on the node or choose another remote folder`, err);
    }
  }

  /**
   * Entries of a remote folder, sorted by name; [] when the folder does not exist. Round trips:
   * opendir, then two reads of the listing sent together (one answers the entries, the next the
   * end, for a folder of up to a hundred entries); the close is sent without waiting for its answer.
   */
  async list(dir: string): Promise<RemoteEntry[]> {
    const abs = this.checkDir(dir);
    let handle: Buffer;
    try {
      handle = await this.op<Buffer>((cb) => this.sftp.opendir(abs, cb));
    } catch (err) {
      if (sftpCode(err) === FX.NO_SUCH_FILE) return [];
      throw this.fail('SSH_VERIFY_FAILED', abs, `cannot list folder ${this.node}:${abs}: ${reason(err)}`, err);
    }
    const h = handle;
    type Entry = { filename: string; attrs: Stats };
    const next = () => this.op<Entry[] | null>((cb) => this.sftp.readdir(h, (err, list) => (err && sftpCode(err) === FX.EOF ? cb(null, null) : cb(err, list as Entry[]))));
    try {
      const entries: Entry[] = [];
      for (let ended = false; !ended;) {
        for (const batch of await Promise.all([next(), next()])) {
          if (batch === null) ended = true;
          else if (!ended) entries.push(...batch);
        }
      }
      return entries
        .filter((e) => e.filename !== '.' && e.filename !== '..')
        .map((e) => ({
          name: e.filename,
          mode: e.attrs.mode & 0o7777,
          size: e.attrs.size,
          mtimeMs: e.attrs.mtime * 1000,
          type: typeOf(e.attrs.mode),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (err) {
      throw this.fail('SSH_VERIFY_FAILED', abs, `cannot list folder ${this.node}:${abs}: ${reason(err)}`, err);
    } finally {
      void this.op<void>((cb) => this.sftp.close(h, cb)).catch(() => undefined);
    }
  }

  /**
   * SHA-256 and mode of files in `dir`, read back over SFTP (works without coreutils on the node).
   * A missing file (or one that is not a regular file) gives null. All files are read concurrently.
   */
  async sha256(dir: string, names: string[]): Promise<Record<string, RemoteHash | null>> {
    const abs = this.checkDir(dir);
    for (const n of names) checkFileName(n, this.node);
    const results = await Promise.all(names.map((n) => this.hashFile(remoteJoin(abs, n))));
    return Object.fromEntries(names.map((n, i) => [n, results[i]]));
  }

  private async hashFile(path: string): Promise<RemoteHash | null> {
    const hash = createHash('sha256');
    const mode = await this.readChunks(path, (chunk) => hash.update(chunk));
    return mode === null ? null : { sha256: hash.digest('hex'), mode };
  }

  /**
   * Content of `dir/name`, or null when it is missing or not a regular file.
   * @throws SshError SSH_VERIFY_FAILED when it cannot be read or is larger than `maxBytes`.
   */
  async readFile(dir: string, name: string, maxBytes: number): Promise<Buffer | null> {
    const abs = this.checkDir(dir);
    checkFileName(name, this.node);
    const path = remoteJoin(abs, name);
    const chunks: Buffer[] = [];
    let size = 0;
    const mode = await this.readChunks(path, (chunk) => {
      size += chunk.length;
      if (size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
      chunks.push(Buffer.from(chunk));
    });
    return mode === null ? null : Buffer.concat(chunks);
  }

  /**
   * Streams a remote file to `onChunk`; resolves with its permission bits, or null when missing or
   * not a file. Round trips: open, then fstat with the first read (sent together), further reads
   * only for a file larger than one chunk; the close is sent without waiting for its answer.
   */
  private async readChunks(path: string, onChunk: (chunk: Buffer) => void): Promise<number | null> {
    let handle: Buffer;
    try {
      handle = await this.op<Buffer>((cb) => this.sftp.open(path, 'r', cb));
    } catch (err) {
      if (sftpCode(err) === FX.NO_SUCH_FILE) return null;
      throw this.fail('SSH_VERIFY_FAILED', path, `cannot read ${this.node}:${path} back: ${reason(err)}`, err);
    }
    const h = handle;
    const buf = Buffer.alloc(READ_CHUNK);
    const readAt = (pos: number) => this.op<number>((cb) => this.sftp.read(h, buf, 0, READ_CHUNK, pos, (e, bytes) => cb(e, bytes)))
      .catch((err) => {
        if (sftpCode(err) === FX.EOF) return 0;
        throw err;
      });
    try {
      // a folder's handle fails the read: its outcome counts only for a regular file
      const [st, first] = await Promise.all([
        this.op<Stats>((cb) => this.sftp.fstat(h, cb)),
        readAt(0).then((n) => ({ n }), (err: unknown) => ({ err })),
      ]);
      if (!st.isFile()) return null;
      if ('err' in first) throw first.err;
      for (let pos = 0, n = first.n; n > 0; n = await readAt(pos)) {
        onChunk(buf.subarray(0, n));
        pos += n;
        if (n < READ_CHUNK && pos >= st.size) break; // a short read at the size fstat gave: the end, no EOF round trip
      }
      return st.mode & 0o7777;
    } catch (err) {
      throw this.fail('SSH_VERIFY_FAILED', path, `cannot read ${this.node}:${path} back: ${reason(err)}`, err);
    } finally {
      void this.op<void>((cb) => this.sftp.close(h, cb)).catch(() => undefined);
    }
  }

  /**
   * Write `content` to `dir/name` atomically with exactly `mode`: write `.<name>.kpki-tmp-<random>`
   * (created with `mode`, then fchmod to defeat the umask, then fsync when the server offers it),
   * then rename it into place (posix-rename@openssh.com, else unlink + rename). The final name
   * never holds a half-written file. On failure the temp file is removed and SSH_WRITE_FAILED
   * names the node, the path and the reason. The folder must exist (see {@link ensureDir}).
   */
  async putAtomic(dir: string, name: string, content: Buffer, mode: number): Promise<void> {
    const abs = this.checkDir(dir);
    checkFileName(name, this.node);
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new RangeError(`invalid mode ${mode}`);
    const finalPath = remoteJoin(abs, name);
    const tmpPath = remoteJoin(abs, `.${name}.kpki-tmp-${randomBytes(6).toString('hex')}`);
    let handle: Buffer | undefined;
    let step = 'create a temporary file in';
    try {
      handle = await this.op<Buffer>((cb) => this.sftp.open(tmpPath, 'wx', { mode }, cb));
      const h = handle;
      // the mode goes with the content, then fsync with the close (the server answers requests on
      // one handle in order; a large content is several writes, all answered before the fsync is sent)
      let failed: string | undefined;
      const as = (what: string, p: Promise<void>) => p.catch((err: unknown) => {
        failed ??= what;
        throw err;
      });
      const together = async (ops: Array<Promise<void>>) => {
        const results = await Promise.allSettled(ops);
        const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        return { rejected, last: results.at(-1)! };
      };
      let r = await together([
        as('set the mode of a temporary file in', this.op<void>((cb) => this.sftp.fchmod(h, mode, cb))),
        ...(content.length > 0 ? [as('write a temporary file in', this.op<void>((cb) => this.sftp.write(h, content, 0, content.length, 0, cb)))] : []),
      ]);
      if (!r.rejected) {
        r = await together([as('write a temporary file in', this.fsync(h)), as('close a temporary file in', this.op<void>((cb) => this.sftp.close(h, cb)))]);
        if (r.last.status === 'fulfilled') handle = undefined; // closed: only the temporary file is left to remove on failure
      }
      if (r.rejected) {
        step = failed ?? step;
        throw r.rejected.reason;
      }
      handle = undefined;
      step = 'rename a file in';
      await this.rename(tmpPath, finalPath);
    } catch (err) {
      if (handle) {
        const h = handle;
        await this.op<void>((cb) => this.sftp.close(h, cb)).catch(() => undefined);
      }
      await this.op<void>((cb) => this.sftp.unlink(tmpPath, cb)).catch(() => undefined);
      const why = reason(err);
      const hint = sftpCode(err) === FX.PERMISSION_DENIED ? `: make ${abs} writable by ${this.user} on ${this.node}, or choose another remote folder` : '';
      throw this.fail('SSH_WRITE_FAILED', finalPath, `cannot write ${finalPath} on node ${this.node}: ${why} (could not ${step} ${abs} as ${this.user})${hint}`, err);
    }
  }

  /**
   * Removes the temporary files an interrupted {@link putAtomic} left in `dir` for `names`
   * (".<name>.kpki-tmp-<12 hex>": they may hold part of a private key); returns their names.
   * No other file is touched. `listing`: the folder as just listed (else it is listed here).
   */
  async removeStaleTemps(dir: string, names: string[], listing?: RemoteEntry[]): Promise<string[]> {
    const abs = this.checkDir(dir);
    const wanted = new Set(names);
    const stale = (listing ?? (await this.list(abs))).filter((e) => {
      const m = /^\.(.+)\.kpki-tmp-[0-9a-f]{12}$/.exec(e.name);
      return e.type === 'file' && !!m && wanted.has(m[1]);
    });
    for (const e of stale) {
      const p = remoteJoin(abs, e.name);
      try {
        await this.op<void>((cb) => this.sftp.unlink(p, cb));
      } catch (err) {
        throw this.fail('SSH_WRITE_FAILED', p, `cannot remove the leftover temporary file ${this.node}:${p}: ${reason(err)}`, err);
      }
    }
    return stale.map((e) => e.name);
  }

  /** fsync@openssh.com when the server offers it; skipped otherwise. */
  private async fsync(handle: Buffer): Promise<void> {
    try {
      await this.op<void>((cb) => this.sftp.ext_openssh_fsync(handle, (err) => cb(err)));
    } catch (err) {
      if (/does not support/i.test((err as Error)?.message ?? '')) return;
      throw err;
    }
  }

  /** Atomic replace: posix-rename@openssh.com, else unlink + rename (SFTPv3 rename refuses to overwrite). */
  private async rename(from: string, to: string): Promise<void> {
    try {
      await this.op<void>((cb) => this.sftp.ext_openssh_rename(from, to, cb));
      return;
    } catch (err) {
      if (!/does not support/i.test((err as Error)?.message ?? '')) throw err;
    }
    try {
      await this.op<void>((cb) => this.sftp.rename(from, to, cb));
    } catch {
      await this.op<void>((cb) => this.sftp.unlink(to, cb)).catch(() => undefined);
      await this.op<void>((cb) => this.sftp.rename(from, to, cb));
    }
  }

  /** Whether the connection is still up (not lost, not closed): a session kept for reuse is checked with it. */
  get usable(): boolean {
    return !this.lost && !this.closed;
  }

  /** Close the connection (idempotent); resolves when it is closed or after 2 s. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 2000);
      this.client.once('close', () => (clearTimeout(t), resolve()));
      this.lost ??= 'closed by kpki';
      this.client.end();
    });
  }
}
