/**
 * Reading an uploaded archive (.tar.gz or .zip) into plain file entries, safely (issue 14, item 6).
 * Nothing is written to disk: entries are read into memory under size limits, and an archive is
 * refused whole, naming the entry, for a path escaping its folder (`..`, absolute, a drive letter,
 * a backslash), a link (symbolic or hard), a device, a fifo or a socket, an entry or a total over
 * the limits (a zip's declared sizes are checked before inflating, and inflating stops as soon as
 * the actual bytes pass the limit or the declared size), an encrypted zip entry, a repeated path,
 * or an archive that does not parse. A `tar czf` archive with one top folder (or `./`) reads the
 * same as without it: one common top folder is stripped.
 */
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import yauzl from 'yauzl';
import { AppError } from '../../lib/errors.ts';

/** One file of an import: its path relative to the imported folder ('/'-separated, no '.' or '..') and its bytes. */
export interface ImportEntry {
  path: string;
  data: Buffer;
}

export interface ArchiveLimits {
  /** the largest one file may be, inflated (bytes) */
  maxEntryBytes: number;
  /** the most all files together may be, inflated (bytes) */
  maxTotalBytes: number;
  /** the most entries (files and folders) an archive may hold */
  maxEntries: number;
}

/**
 * Certificates, keys and kubeconfigs are a few KiB each; a PKI folder of a few hundred nodes is
 * a few MiB. Anything much larger is not a PKI.
 */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxEntryBytes: 1024 * 1024, maxTotalBytes: 32 * 1024 * 1024, maxEntries: 10_000 };

/** An archive refused, naming the entry at fault (`entry`, null when the fault is the archive as a whole). */
export class ImportRefusal extends AppError {
  constructor(readonly entry: string | null, message: string) {
    super('ARCHIVE_REFUSED', entry === null ? `archive refused: ${message}` : `archive refused: entry ${JSON.stringify(entry)} ${message}`, { entry });
  }
}

const MIB = 1024 * 1024;
const size = (bytes: number) => (bytes >= MIB ? `${(bytes / MIB).toFixed(bytes % MIB ? 1 : 0)} MiB` : `${bytes} bytes`);

/**
 * An entry's path made relative and '/'-separated ("./a/b.pem" -> "a/b.pem"; "" for the top
 * folder itself). @throws ImportRefusal for an absolute path, a drive letter, a backslash, a
 * `..` segment, or a control character.
 */
export function entryPath(name: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ImportRefusal(name, 'has a control character in its name');
  if (name.includes('\\')) throw new ImportRefusal(name, 'has a backslash in its path: paths inside an archive are "/"-separated');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new ImportRefusal(name, 'is an absolute path: every path must stay inside the imported folder');
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new ImportRefusal(name, 'escapes the imported folder ("..")');
  return segments.join('/');
}

/** Collects the files of an archive under the limits, refusing repeats. */
class Collector {
  readonly files: ImportEntry[] = [];
  private readonly seen = new Set<string>();
  private total = 0;
  private count = 0;
  constructor(readonly limits: ArchiveLimits) {}

  /** Counts one entry (file or folder). */
  entry(name: string): void {
    if (++this.count > this.limits.maxEntries) throw new ImportRefusal(name, `is past the limit of ${this.limits.maxEntries} entries in one archive`);
  }

  /** Refuses a declared size before any byte is read. */
  declared(name: string, bytes: number): void {
    if (bytes > this.limits.maxEntryBytes) throw new ImportRefusal(name, `is ${size(bytes)}, over the limit of ${size(this.limits.maxEntryBytes)} for one file`);
    if (this.total + bytes > this.limits.maxTotalBytes) {
      throw new ImportRefusal(name, `takes the archive past the limit of ${size(this.limits.maxTotalBytes)} for all files together`);
    }
  }

  /** Reads a stream, stopping as soon as it passes a limit. */
  async read(name: string, stream: Readable): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let bytes = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > this.limits.maxEntryBytes) {
          throw new ImportRefusal(name, `inflates past the limit of ${size(this.limits.maxEntryBytes)} for one file`);
        }
        if (this.total + bytes > this.limits.maxTotalBytes) {
          throw new ImportRefusal(name, `inflates past the limit of ${size(this.limits.maxTotalBytes)} for all files together`);
        }
        chunks.push(chunk);
      }
    } catch (e) {
      stream.destroy();
      if (e instanceof ImportRefusal) throw e;
      const message = e instanceof Error ? e.message : String(e);
      if (/too many bytes/.test(message)) throw new ImportRefusal(name, 'inflates to more bytes than it declares (a zip bomb?)');
      throw new ImportRefusal(name, `cannot be read: ${message}`);
    }
    this.total += bytes;
    return Buffer.concat(chunks);
  }

  add(name: string, path: string, data: Buffer): void {
    if (this.seen.has(path)) throw new ImportRefusal(name, `appears twice in the archive (${path})`);
    this.seen.add(path);
    this.files.push({ path, data });
  }
}

/**
 * Strips one folder that every file shares ("pki/ca.pem", "pki/etcd/ca.crt" -> "ca.pem",
 * "etcd/ca.crt"), as `tar czf x.tgz folder` writes it. Files in order of path.
 */
export function stripCommonTop(entries: ImportEntry[]): ImportEntry[] {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (sorted.length === 0 || !sorted.every((e) => e.path.includes('/'))) return sorted;
  const top = sorted[0].path.split('/')[0];
  if (!sorted.every((e) => e.path.startsWith(`${top}/`))) return sorted;
  return sorted.map((e) => ({ path: e.path.slice(top.length + 1), data: e.data }));
}

const TAR_TYPES: Record<string, string> = {
  symlink: 'is a symbolic link: links are refused (they can point outside the imported folder)',
  link: 'is a hard link: links are refused',
  'character-device': 'is a character device: only plain files are read',
  'block-device': 'is a block device: only plain files are read',
  fifo: 'is a fifo: only plain files are read',
};

async function readTarGz(body: Buffer, limits: ArchiveLimits): Promise<ImportEntry[]> {
  const collector = new Collector(limits);
  const extract = tar.extract();
  const gunzip = zlib.createGunzip();
  // besides the files, a tar holds headers and padding: allow for them, not for a bomb of those
  const cap = limits.maxTotalBytes + limits.maxEntries * 1536 + MIB;
  let inflated = 0;
  let gzipError: ImportRefusal | null = null;
  gunzip.on('data', (chunk: Buffer) => {
    inflated += chunk.length;
    if (inflated > cap) {
      gzipError = new ImportRefusal(null, `it inflates past ${size(cap)}, more than the files allowed (${size(limits.maxTotalBytes)}) can take`);
      gunzip.destroy(gzipError);
    }
  });
  gunzip.on('error', (e) => {
    gzipError ??= new ImportRefusal(null, `it is not a gzip-compressed file (${e.message}); send a .tar.gz made by "tar czf"`);
    extract.destroy(gzipError);
  });
  gunzip.pipe(extract);
  gunzip.end(body);
  try {
    for await (const entry of extract) {
      const { name, type } = entry.header;
      collector.entry(name);
      const refusal = TAR_TYPES[type ?? 'file'];
      if (refusal) throw new ImportRefusal(name, refusal);
      const path = entryPath(name);
      if (type === 'directory') {
        entry.resume();
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') throw new ImportRefusal(name, `is of type ${type}: only plain files and folders are read`);
      collector.declared(name, entry.header.size ?? 0);
      const data = await collector.read(name, entry as unknown as Readable);
      if (path === '') throw new ImportRefusal(name, 'has no file name');
      collector.add(name, path, data);
    }
  } catch (e) {
    gunzip.destroy();
    extract.destroy();
    if (e instanceof ImportRefusal) throw e;
    if (gzipError) throw gzipError;
    throw new ImportRefusal(null, `it is not a tar archive (${(e as Error).message}); send a .tar.gz made by "tar czf"`);
  }
  if (gzipError) throw gzipError;
  return collector.files;
}

const S_IFMT = 0o170000;
const ZIP_TYPES: Record<number, string> = {
  0o120000: 'is a symbolic link: links are refused (they can point outside the imported folder)',
  0o020000: 'is a character device: only plain files are read',
  0o060000: 'is a block device: only plain files are read',
  0o010000: 'is a fifo: only plain files are read',
  0o140000: 'is a socket: only plain files are read',
};

async function readZip(body: Buffer, limits: ArchiveLimits): Promise<ImportEntry[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(body, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true });
  } catch (e) {
    throw new ImportRefusal(null, `it is not a zip file (${(e as Error).message}); send a .zip or a .tar.gz`);
  }
  const collector = new Collector(limits);
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        zip.once('entry', resolve);
        zip.once('end', () => resolve(null));
        zip.once('error', reject);
        zip.readEntry();
      }).finally(() => zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error'));
      if (!entry) break;
      const raw = entry.fileName as unknown as Buffer;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
      collector.entry(name);
      const path = entryPath(name);
      const madeOnUnix = entry.versionMadeBy >> 8 === 3;
      const mode = madeOnUnix ? (entry.externalFileAttributes >>> 16) & S_IFMT : 0;
      if (ZIP_TYPES[mode]) throw new ImportRefusal(name, ZIP_TYPES[mode]);
      if (name.endsWith('/') || mode === 0o040000) continue;
      if (entry.isEncrypted()) throw new ImportRefusal(name, 'is encrypted: send the files unencrypted');
      collector.declared(name, entry.uncompressedSize);
      if (path === '') throw new ImportRefusal(name, 'has no file name');
      const stream = await new Promise<Readable>((resolve, reject) => {
        zip.openReadStream(entry, (err, s) => (err ? reject(new ImportRefusal(name, `cannot be read: ${err.message}`)) : resolve(s)));
      });
      collector.add(name, path, await collector.read(name, stream));
    }
  } catch (e) {
    if (e instanceof ImportRefusal) throw e;
    throw new ImportRefusal(null, `the zip file is damaged (${(e as Error).message})`);
  } finally {
    zip.close();
  }
  return collector.files;
}

/**
 * The files of an archive, one common top folder stripped, in path order.
 * @throws ImportRefusal (code ARCHIVE_REFUSED, `entry` the entry at fault or null) for any of
 * the faults in the module's comment; nothing is read past the first one.
 */
export async function readArchive(body: Buffer, type: 'gzip' | 'zip', limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ImportEntry[]> {
  const files = type === 'gzip' ? await readTarGz(body, limits) : await readZip(body, limits);
  return stripCommonTop(files);
}
