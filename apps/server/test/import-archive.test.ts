/**
 * Issue 14, item 6: archives are read safely. Good archives made by the real `tar czf` (with a
 * top folder or "./") and `zip` read as the same files; hostile ones are refused naming the
 * entry: a path escaping the folder, an absolute path, a symbolic link, a hard link, a device, a
 * fifo, a zip bomb (declared size past the limit, and one that lies about its size), a tar.gz
 * whose file inflates past the limit, too many entries, a repeated path, an encrypted zip entry,
 * and input that is not an archive. Hostile archives are built here: tar-stream for what GNU tar
 * will not write (`..`, absolute paths, devices without root), a small zip writer for what zip
 * will not (`..`, lying sizes).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_ARCHIVE_LIMITS, ImportRefusal, readArchive, type ArchiveLimits } from '../src/services/import/index.ts';
import { tarGz, zipFiles } from './helpers/cfssl-pki.ts';
import { removeDir, runOk, tmpDir } from './helpers/tools.ts';

interface TarItem {
  name: string;
  type?: tar.Header['type'];
  data?: string;
  linkname?: string;
}

/** A .tar.gz written with tar-stream, any header the test needs. */
async function tarOf(items: TarItem[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const item of items) {
    const data = item.data ?? '';
    const plain = !item.type || item.type === 'file';
    const header = { name: item.name, type: item.type ?? 'file', size: plain ? Buffer.byteLength(data) : 0, linkname: item.linkname, mode: 0o644 };
    if (plain) pack.entry(header, data);
    else pack.entry(header, '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  return zlib.gzipSync(Buffer.concat(chunks));
}

interface ZipItem {
  name: string;
  data: Buffer;
  /** unix mode with file type bits (default a regular file 0644) */
  mode?: number;
  /** the uncompressed size written in the headers (default the true one) */
  declared?: number;
}

/** A zip (deflated entries, made on unix) written byte by byte. */
function zipOf(items: ZipItem[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const item of items) {
    const name = Buffer.from(item.name);
    const packed = zlib.deflateRawSync(item.data);
    const crc = zlib.crc32(item.data);
    const declared = item.declared ?? item.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((item.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The refusal an archive gets: its entry and message. */
async function refusal(body: Buffer, type: 'gzip' | 'zip', limits?: ArchiveLimits): Promise<{ entry: string | null; message: string; code: string }> {
  try {
    await readArchive(body, type, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportRefusal);
    const r = e as ImportRefusal;
    expect(r.statusCode).toBe(400);
    return { entry: r.entry, message: r.message, code: r.code };
  }
  throw new Error('the archive was not refused');
}

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('archives made by the real tar and zip', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tmpDir('kpki-archive-');
    await fs.mkdir(path.join(dir, 'pki/etcd'), { recursive: true });
    await fs.writeFile(path.join(dir, 'pki/ca.pem'), PEM);
    await fs.writeFile(path.join(dir, 'pki/etcd/ca.crt'), PEM);
  });
  afterAll(() => removeDir(dir));

  test('tar czf with a top folder, with ./ and zip -r read as the same files, top folder stripped', async () => {
    const expected = [{ path: 'ca.pem', data: Buffer.from(PEM) }, { path: 'etcd/ca.crt', data: Buffer.from(PEM) }];
    expect(await readArchive(await tarGz(dir, path.join(dir, 'a.tgz'), ['pki']), 'gzip')).toEqual(expected);
    expect(await readArchive(await tarGz(path.join(dir, 'pki'), path.join(dir, 'b.tgz'), ['.']), 'gzip')).toEqual(expected);
    expect(await readArchive(await zipFiles(dir, path.join(dir, 'c.zip'), ['pki']), 'zip')).toEqual(expected);
    expect(await readArchive(await zipFiles(path.join(dir, 'pki'), path.join(dir, 'd.zip'), ['.']), 'zip')).toEqual(expected);
  });

  test('a symbolic link (tar and zip -y) is refused, naming it', async () => {
    const links = path.join(dir, 'links');
    await fs.mkdir(links);
    await fs.writeFile(path.join(links, 'ca.pem'), PEM);
    await fs.symlink('/etc/passwd', path.join(links, 'admin-key.pem'));
    const t = await refusal(await tarGz(links, path.join(dir, 'l.tgz'), ['ca.pem', 'admin-key.pem']), 'gzip');
    expect(t).toMatchObject({ code: 'ARCHIVE_REFUSED', entry: 'admin-key.pem' });
    expect(t.message).toBe('archive refused: entry "admin-key.pem" is a symbolic link: links are refused (they can point outside the imported folder)');
    const z = await refusal(await zipFiles(links, path.join(dir, 'l.zip'), ['ca.pem', 'admin-key.pem']), 'zip');
    expect(z).toMatchObject({ entry: 'admin-key.pem' });
    expect(z.message).toMatch(/symbolic link/);
  });

  test('a hard link (tar of two linked files) is refused, naming it', async () => {
    const hard = path.join(dir, 'hard');
    await fs.mkdir(hard);
    await fs.writeFile(path.join(hard, 'a.pem'), PEM);
    await fs.link(path.join(hard, 'a.pem'), path.join(hard, 'b.pem'));
    const r = await refusal(await tarGz(hard, path.join(dir, 'h.tgz'), ['a.pem', 'b.pem']), 'gzip');
    expect(r).toMatchObject({ entry: 'b.pem', message: 'archive refused: entry "b.pem" is a hard link: links are refused' });
  });

  test('a fifo (mkfifo, tar) is refused, naming it', async () => {
    const f = path.join(dir, 'fifo');
    await fs.mkdir(f);
    await runOk('mkfifo', [path.join(f, 'pipe')]);
    const r = await refusal(await tarGz(f, path.join(dir, 'f.tgz'), ['pipe']), 'gzip');
    expect(r).toMatchObject({ entry: 'pipe', message: 'archive refused: entry "pipe" is a fifo: only plain files are read' });
  });

  test('a tar.gz bomb: a file of zeros past the limit, refused by its size, naming it, before it is read', async () => {
    const bomb = path.join(dir, 'bomb');
    await fs.mkdir(bomb);
    await fs.writeFile(path.join(bomb, 'zeros.pem'), Buffer.alloc(DEFAULT_ARCHIVE_LIMITS.maxEntryBytes * 8));
    const body = await tarGz(bomb, path.join(dir, 'bomb.tgz'), ['zeros.pem']);
    expect(body.length).toBeLessThan(64 * 1024);
    expect(await refusal(body, 'gzip')).toMatchObject({ entry: 'zeros.pem', message: 'archive refused: entry "zeros.pem" is 8 MiB, over the limit of 1 MiB for one file' });
  });

  test('a zip bomb made by zip: declared size past the limit, refused before inflating', async () => {
    const bomb = path.join(dir, 'zbomb');
    await fs.mkdir(bomb);
    await fs.writeFile(path.join(bomb, 'zeros.pem'), Buffer.alloc(64 * 1024 * 1024));
    const body = await zipFiles(bomb, path.join(dir, 'bomb.zip'), ['zeros.pem']);
    expect(body.length).toBeLessThan(256 * 1024);
    expect(await refusal(body, 'zip')).toMatchObject({ entry: 'zeros.pem', message: 'archive refused: entry "zeros.pem" is 64 MiB, over the limit of 1 MiB for one file' });
  });
});

/** A hostile archive built byte by byte and the refusal it gets: the entry named and, where given, the message. */
interface HostileCase {
  what: string;
  archive: () => Buffer | Promise<Buffer>;
  type: 'gzip' | 'zip';
  limits?: ArchiveLimits;
  entry: string | null;
  message?: string | RegExp;
}

const small: ArchiveLimits = { maxEntryBytes: 100, maxTotalBytes: 150, maxEntries: 3 };
const x80 = 'x'.repeat(80);
const zipEntry = (name: string, data: string | Buffer = 'x', more: Partial<ZipItem> = {}) => zipOf([{ name, data: Buffer.from(data), ...more }]);

const HOSTILE: HostileCase[] = [
  { what: 'tar: a path with ".."', archive: () => tarOf([{ name: 'ca.pem', data: PEM }, { name: '../x', data: 'x' }]), type: 'gzip', entry: '../x', message: 'archive refused: entry "../x" escapes the imported folder ("..")' },
  { what: 'tar: a path that climbs out of its folder', archive: () => tarOf([{ name: 'pki/../../etc/cron.d/x', data: 'x' }]), type: 'gzip', entry: 'pki/../../etc/cron.d/x' },
  { what: 'tar: an absolute path', archive: () => tarOf([{ name: '/etc/passwd', data: 'x' }]), type: 'gzip', entry: '/etc/passwd', message: 'archive refused: entry "/etc/passwd" is an absolute path: every path must stay inside the imported folder' },
  { what: 'zip: a path with ".."', archive: () => zipEntry('../x'), type: 'zip', entry: '../x' },
  { what: 'zip: an absolute path', archive: () => zipEntry('/etc/passwd'), type: 'zip', entry: '/etc/passwd' },
  { what: 'zip: a drive letter', archive: () => zipEntry('C:/x'), type: 'zip', entry: 'C:/x' },
  { what: 'zip: ".." with a backslash', archive: () => zipEntry('..\\x'), type: 'zip', entry: '..\\x' },
  { what: 'tar: a character device', archive: () => tarOf([{ name: 'null', type: 'character-device' }]), type: 'gzip', entry: 'null', message: 'archive refused: entry "null" is a character device: only plain files are read' },
  { what: 'tar: a block device', archive: () => tarOf([{ name: 'sda', type: 'block-device' }]), type: 'gzip', entry: 'sda' },
  { what: 'tar: a symbolic link header', archive: () => tarOf([{ name: 'ca.pem', type: 'symlink', linkname: '/etc/shadow' }]), type: 'gzip', entry: 'ca.pem' },
  { what: 'zip: an entry marked as a link', archive: () => zipEntry('ca.pem', '/etc/shadow', { mode: 0o120777 }), type: 'zip', entry: 'ca.pem' },
  { what: 'zip: an entry marked as a device', archive: () => zipEntry('tty', Buffer.alloc(0), { mode: 0o020666 }), type: 'zip', entry: 'tty' },
  {
    what: 'zip: an entry that lies about its size (inflating stops past the declared size)', type: 'zip', entry: 'zeros.pem', message: 'archive refused: entry "zeros.pem" inflates to more bytes than it declares (a zip bomb?)',
    archive: () => zipOf([{ name: 'ca.pem', data: Buffer.from(PEM) }, { name: 'zeros.pem', data: Buffer.alloc(8 * 1024 * 1024), declared: 100 }]),
  },
  { what: 'tar: past the total size', archive: () => tarOf([{ name: 'a', data: x80 }, { name: 'b', data: x80 }]), type: 'gzip', limits: small, entry: 'b', message: 'archive refused: entry "b" takes the archive past the limit of 150 bytes for all files together' },
  { what: 'zip: past the total size', archive: () => zipOf([{ name: 'a', data: Buffer.from(x80) }, { name: 'b', data: Buffer.from(x80) }]), type: 'zip', limits: small, entry: 'b' },
  { what: 'tar: past the count of entries', archive: () => tarOf(['a', 'b', 'c', 'd'].map((name) => ({ name, data: 'x' }))), type: 'gzip', limits: small, entry: 'd', message: 'archive refused: entry "d" is past the limit of 3 entries in one archive' },
  { what: 'tar: a repeated path', archive: () => tarOf([{ name: 'ca.pem', data: PEM }, { name: './ca.pem', data: 'other' }]), type: 'gzip', entry: './ca.pem', message: 'archive refused: entry "./ca.pem" appears twice in the archive (ca.pem)' },
  { what: 'not gzip at all', archive: () => Buffer.from('not gzip at all'), type: 'gzip', entry: null, message: /^archive refused: it is not a gzip-compressed file/ },
  { what: 'gzip, but no tar inside', archive: () => zlib.gzipSync(Buffer.from('plain text, no tar')), type: 'gzip', entry: null, message: /^archive refused: it is not a tar archive/ },
  { what: 'not a zip', archive: () => Buffer.from('PK not a zip'), type: 'zip', entry: null, message: /^archive refused: it is not a zip file/ },
  { what: 'a tar.gz said to be a zip', archive: () => tarOf([{ name: 'ca.pem', data: PEM }]), type: 'zip', entry: null, message: /^archive refused: it is not a zip file/ },
];

describe('hostile archives built byte by byte', () => {
  test.each(HOSTILE.map((k) => [k.what, k] as const))('%s: refused, naming the entry', async (_what, k) => {
    const r = await refusal(await k.archive(), k.type, k.limits);
    expect(r.code).toBe('ARCHIVE_REFUSED');
    expect(r.entry).toBe(k.entry);
    if (typeof k.message === 'string') expect(r.message).toBe(k.message);
    else if (k.message) expect(r.message).toMatch(k.message);
  });
});
