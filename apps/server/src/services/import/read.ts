/**
 * What each file of an import holds: certificates, a private key (read only for its public
 * half), a public key, a certificate request, a kubeconfig, or something else. Pure; nothing
 * returned here holds private key material, and no message echoes a file's content.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import path from 'node:path/posix';
import YAML from 'yaml';
import { pemBlocks } from '../../pki/cert-facts.ts';
import { attribute, loadCertificate, readExtensions, type LoadedCertificate, type ReadExtensions } from '../../pki/inspect.ts';
import { opensslName } from '../../pki/text.ts';
import { extendedKeyUsageName, keyUsageNames } from '../../pki/usages.ts';
import type { ImportEntry } from './archive.ts';

/** A certificate read from a file. */
export interface ReadCertificate {
  path: string;
  pem: string;
  loaded: LoadedCertificate;
  ext: ReadExtensions;
  cn: string;
  o: string;
  issuer: string;
  usages: string[];
  isCa: boolean;
  /** DER of the SubjectPublicKeyInfo */
  spki: Buffer;
}

/** A private key's public half, or why it could not be read. */
export type ReadKey = { path: string; spki: Buffer; type: string } | { path: string; spki: null; error: string };

export interface ReadKubeconfig {
  path: string;
  server: string;
  clientCert: ReadCertificate | null;
  clientKey: ReadKey | null;
  ca: ReadCertificate | null;
  /** why the embedded parts could not be read */
  errors: string[];
}

/** Every file of an import, sorted by what it holds. */
export interface ReadFiles {
  certificates: ReadCertificate[];
  /** path -> key (private keys, and files holding both a certificate and its key) */
  keys: Map<string, ReadKey>;
  /** path -> public key (sa.pub) */
  publicKeys: Map<string, Buffer>;
  kubeconfigs: ReadKubeconfig[];
  /** files none of the above, with why */
  other: Array<{ path: string; reason: string }>;
}

export const spkiOf = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' });

/** A certificate's facts from its PEM (or DER). @throws PkiError INVALID_PEM. */
export function readCertificate(filePath: string, pem: string | Buffer): ReadCertificate {
  const loaded = loadCertificate(pem);
  const ext = readExtensions(loaded);
  return {
    path: filePath,
    pem: typeof pem === 'string' ? pem : loaded.node.toString(),
    loaded, ext,
    cn: attribute(loaded.subject, 'CN'),
    o: attribute(loaded.subject, 'O'),
    issuer: opensslName(loaded.issuer),
    usages: [...keyUsageNames(ext.keyUsage?.flags ?? 0), ...(ext.extendedKeyUsage?.oids.map(extendedKeyUsageName) ?? [])],
    isCa: ext.basicConstraints?.ca === true,
    spki: spkiOf(loaded.node.publicKey),
  };
}

/** A private key's public half; the key itself is dropped at once. Never echoes the input. */
export function readKey(filePath: string, pem: string | Buffer): ReadKey {
  try {
    const key = createPrivateKey(pem);
    return { path: filePath, spki: spkiOf(createPublicKey(key)), type: key.asymmetricKeyType ?? 'unknown' };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const why = /PASSPHRASE|ENCRYPTED/i.test(code) || /passphrase/i.test((e as Error).message)
      ? 'it is encrypted with a passphrase: decrypt it first (openssl pkey -in key.pem -out key-clear.pem)'
      : 'it is not a private key node can read (PKCS#1, SEC1 or PKCS#8 PEM)';
    return { path: filePath, spki: null, error: why };
  }
}

const KEY_BLOCK = /PRIVATE KEY$/;

function readKubeconfig(filePath: string, doc: Record<string, unknown>): ReadKubeconfig {
  const errors: string[] = [];
  const list = (key: string) => (Array.isArray(doc[key]) ? (doc[key] as Array<Record<string, unknown>>) : []);
  const contexts = list('contexts');
  const current = typeof doc['current-context'] === 'string' ? doc['current-context'] : '';
  const context = (contexts.find((c) => c.name === current) ?? contexts[0])?.context as Record<string, unknown> | undefined;
  const pick = (key: string, name: unknown) => {
    const items = list(key);
    const item = items.find((i) => i.name === name) ?? (items.length === 1 ? items[0] : undefined);
    return (item?.[key === 'clusters' ? 'cluster' : 'user'] ?? {}) as Record<string, unknown>;
  };
  const cluster = pick('clusters', context?.cluster);
  const user = pick('users', context?.user);
  const decode = (value: unknown): Buffer | null => (typeof value === 'string' && value !== '' ? Buffer.from(value, 'base64') : null);
  const cert = (value: unknown, what: string): ReadCertificate | null => {
    const data = decode(value);
    if (!data) return null;
    try {
      return readCertificate(filePath, data.toString('latin1'));
    } catch {
      errors.push(`its ${what} is not a PEM certificate`);
      return null;
    }
  };
  const keyData = decode(user['client-key-data']);
  if (typeof user['client-certificate'] === 'string' || typeof user['client-key'] === 'string') {
    errors.push('it refers to certificate files instead of embedding them (client-certificate/client-key): those files are checked where they are, not here');
  }
  return {
    path: filePath,
    server: typeof cluster.server === 'string' ? cluster.server : '',
    clientCert: cert(user['client-certificate-data'], 'client-certificate-data'),
    clientKey: keyData ? readKey(filePath, keyData) : null,
    ca: cert(cluster['certificate-authority-data'], 'certificate-authority-data'),
    errors,
  };
}

/** Why a file that holds no certificate, key or kubeconfig is set aside. */
function otherReason(filePath: string, text: string | null): string {
  const base = path.basename(filePath);
  if (text === null) return 'not a text file: certificates and keys are read in PEM form';
  if (/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(text) || base.endsWith('.csr')) return 'a certificate signing request: not needed once the certificate is signed';
  if (base.endsWith('.json')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      if ('signing' in json) return 'cfssl signing configuration (ca-config.json): kpki signs with its own profile';
      if ('CN' in json || 'names' in json) return 'cfssl certificate request (CSR JSON): an input of cfssl, not needed';
    } catch {
      // not JSON after all
    }
  }
  if (/^kind:\s*EncryptionConfig/m.test(text)) return 'the API server\'s encryption config: kpki generates its own (it holds a secret key: it is not read)';
  return 'neither a certificate, a key nor a kubeconfig';
}

const isText = (data: Buffer) => !data.subarray(0, 4096).includes(0);

/**
 * Reads every entry. A file may hold certificates (the first is the file's certificate; a
 * bundle's others are ignored), a private key, both, a public key, or be a kubeconfig.
 */
export function readFiles(entries: ImportEntry[]): ReadFiles {
  const out: ReadFiles = { certificates: [], keys: new Map(), publicKeys: new Map(), kubeconfigs: [], other: [] };
  for (const entry of entries) {
    const text = isText(entry.data) ? entry.data.toString('utf8') : null;
    const blocks = text === null ? [] : pemBlocks(text);
    const certBlock = blocks.find((b) => b.type === 'CERTIFICATE');
    const keyBlock = blocks.find((b) => KEY_BLOCK.test(b.type));
    const pubBlock = blocks.find((b) => b.type === 'PUBLIC KEY');
    let used = false;
    if (certBlock) {
      try {
        out.certificates.push(readCertificate(entry.path, certBlock.der));
        used = true;
      } catch {
        out.other.push({ path: entry.path, reason: 'holds a CERTIFICATE block that does not parse' });
        continue;
      }
    }
    if (keyBlock && text !== null) {
      const start = text.indexOf(`-----BEGIN ${keyBlock.type}-----`);
      const end = text.indexOf(`-----END ${keyBlock.type}-----`, start);
      out.keys.set(entry.path, readKey(entry.path, text.slice(start, end + `-----END ${keyBlock.type}-----`.length)));
      used = true;
    }
    if (pubBlock && !used) {
      try {
        out.publicKeys.set(entry.path, spkiOf(createPublicKey({ key: pubBlock.der, format: 'der', type: 'spki' })));
        used = true;
      } catch {
        out.other.push({ path: entry.path, reason: 'holds a PUBLIC KEY block that does not parse' });
        continue;
      }
    }
    if (used) continue;
    if (text !== null && /^\s*(apiVersion|kind|clusters|users|contexts|current-context)\s*:/m.test(text) && /^\s*kind:\s*Config\s*$/m.test(text)) {
      try {
        const doc = YAML.parse(text) as unknown;
        if (doc && typeof doc === 'object') {
          out.kubeconfigs.push(readKubeconfig(entry.path, doc as Record<string, unknown>));
          continue;
        }
      } catch {
        out.other.push({ path: entry.path, reason: 'looks like a kubeconfig but is not valid YAML' });
        continue;
      }
    }
    out.other.push({ path: entry.path, reason: otherReason(entry.path, text) });
  }
  return out;
}

/** The key file that goes with a certificate file: X.pem -> X-key.pem, X.crt -> X.key (same folder), or the file itself when it holds the key. */
export function keyPathFor(certPath: string, keys: Map<string, ReadKey>): string | null {
  if (keys.has(certPath)) return certPath;
  const ext = path.extname(certPath);
  const stem = certPath.slice(0, certPath.length - ext.length);
  for (const candidate of [`${stem}-key.pem`, `${stem}.key`, `${stem}-key${ext}`, `${stem}.key.pem`]) {
    if (keys.has(candidate)) return candidate;
  }
  return null;
}

/** The file's base name without its extension: "dir/worker1.pem" -> "worker1". */
export function stemOf(filePath: string): string {
  const base = path.basename(filePath);
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}
