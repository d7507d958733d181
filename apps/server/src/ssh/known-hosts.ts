/**
 * A `known_hosts` text read as OpenSSH reads it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT",
 * hostfile.c): optional marker (`@cert-authority`, `@revoked`), a comma list of host patterns
 * (`name`, `[name]:port`, wildcards, `!` negation) or one hashed name (`|1|salt|hash`:
 * HMAC-SHA1 of the name keyed with the salt), the key type, the base64 key, a comment.
 * A name is looked up as OpenSSH does: `host` for port 22, `[host]:port` otherwise. Pure.
 */
import { createHash, createHmac } from 'node:crypto';
import { matchPattern } from './ssh-config.ts';

export interface KnownHostsLineError {
  line: number;
  message: string;
}

export class KnownHostsError extends Error {
  constructor(readonly errors: KnownHostsLineError[]) {
    super(errors.map((e) => `line ${e.line}: ${e.message}`).join('; '));
  }
}

export interface KnownHostEntry {
  line: number;
  marker: 'cert-authority' | 'revoked' | null;
  /** the comma list of patterns, or null for a hashed entry */
  patterns: string[] | null;
  /** salt and hash of a hashed entry */
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  /** "SHA256:..." as ssh-keygen -lf prints it */
  fingerprint: string;
}

const b64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** "SHA256:<base64 without padding>" of a public key blob. */
export const sha256Fingerprint = (blob: Buffer) => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/** The key type written inside an SSH public key blob (its first string), or null when the blob is not one. */
function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const len = blob.readUInt32BE(0);
  if (len < 1 || len > 64 || 4 + len > blob.length) return null;
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** Reads a known_hosts text; throws KnownHostsError with every line that cannot be read (number and what was expected). */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const errors: KnownHostsLineError[] = [];
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    const fields = t.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@cert-authority') marker = 'cert-authority';
      else if (m === '@revoked') marker = 'revoked';
      else {
        errors.push({ line, message: `unknown marker ${JSON.stringify(m.slice(0, 40))}: expected @cert-authority or @revoked, or a host name` });
        return;
      }
    }
    if (fields.length < 3) {
      errors.push({ line, message: 'expected host names, a key type and a base64 key (e.g. "[192.0.2.10]:2222 ssh-ed25519 AAAAC3Nz...")' });
      return;
    }
    const [hostField, keyType, keyText] = fields;
    if (/^\d+$/.test(keyType)) {
      errors.push({ line, message: 'an SSH protocol 1 key (bits exponent modulus): expected a key type such as ssh-ed25519 followed by a base64 key' });
      return;
    }
    if (!b64.test(keyText)) {
      errors.push({ line, message: `expected a base64 key after ${JSON.stringify(keyType.slice(0, 40))}` });
      return;
    }
    const blob = Buffer.from(keyText, 'base64');
    const inner = blobKeyType(blob);
    if (!inner) {
      errors.push({ line, message: `the base64 after ${JSON.stringify(keyType.slice(0, 40))} is not an SSH public key` });
      return;
    }
    if (inner !== keyType) {
      errors.push({ line, message: `the key is a ${inner} key but the line says ${keyType.slice(0, 40)}: expected the key type the key has` });
      return;
    }
    let hashed: KnownHostEntry['hashed'] = null;
    let patterns: string[] | null = null;
    if (hostField.startsWith('|')) {
      const m = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hostField);
      const salt = m ? Buffer.from(m[1], 'base64') : null;
      const hash = m ? Buffer.from(m[2], 'base64') : null;
      if (!salt || !hash || salt.length !== 20 || hash.length !== 20) {
        errors.push({ line, message: 'a hashed host name must be |1|<base64 salt of 20 bytes>|<base64 HMAC-SHA1 of 20 bytes> (as ssh-keygen -H writes it)' });
        return;
      }
      hashed = { salt, hash };
    } else {
      patterns = hostField.split(',').filter((p) => p.length > 0);
      if (patterns.length === 0) {
        errors.push({ line, message: 'expected host names before the key type' });
        return;
      }
    }
    entries.push({ line, marker, patterns, hashed, keyType, fingerprint: sha256Fingerprint(blob) });
  });
  if (errors.length) throw new KnownHostsError(errors);
  return entries;
}

/** The name OpenSSH looks a host up by: `host` on port 22, `[host]:port` otherwise (lowercased). */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Does the entry name this host and port? Hashed: HMAC-SHA1 of the name with the entry's salt; patterns: OpenSSH's match_hostname. */
export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (entry.hashed) {
    return createHmac('sha1', entry.hashed.salt).update(name).digest().equals(entry.hashed.hash);
  }
  let matched = false;
  for (const raw of entry.patterns ?? []) {
    const negated = raw.startsWith('!');
    if (matchPattern(name, (negated ? raw.slice(1) : raw).toLowerCase())) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The entries for a host and port, in file order. */
export function lookupKnownHosts(entries: KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  return entries.filter((e) => entryMatches(e, host, port));
}
