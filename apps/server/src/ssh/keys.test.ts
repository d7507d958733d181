import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, test } from 'vitest';
import { SshKeyError } from './errors.ts';
import { fingerprintOfPublicBlob, generateDeployKey, keyTypeOfPublicBlob, normalizeFingerprint, parsePrivateKey } from './keys.ts';

const dir = mkdtempSync(join(tmpdir(), 'kpki-keys-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keygen = (args: string[]) => execFileSync('/usr/bin/ssh-keygen', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
let n = 0;
/** ssh-keygen a key into the temp dir and return its path. */
function sshKeygen(type: string, extra: string[] = []): string {
  const file = join(dir, `k${n++}`);
  keygen(['-q', '-t', type, '-N', '', '-C', `c-${type}`, '-f', file, ...extra]);
  return file;
}
/** The fingerprint ssh-keygen -lf prints for a key file. */
const sshFingerprint = (file: string) => keygen(['-l', '-f', file]).split(' ')[1];

describe('generateDeployKey', () => {
  const key = generateDeployKey('kpki-demo');

  test('public line, fingerprint and private key agree with ssh-keygen', () => {
    expect(key.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/=]+ kpki-demo$/);
    expect(key.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
    const file = join(dir, 'deploy');
    writeFileSync(file, key.privateKey, { mode: 0o600 });
    expect(keygen(['-y', '-f', file]).trim()).toBe(key.publicKey);
    expect(sshFingerprint(file)).toBe(key.fingerprint);
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  test('ssh2 reads the private key', () => {
    const parsed = ssh2.utils.parseKey(key.privateKey);
    expect(parsed).not.toBeInstanceOf(Error);
    const read = parsePrivateKey(key.privateKey);
    expect([read.publicKey, read.fingerprint]).toEqual([key.publicKey, key.fingerprint]);
  });

  test('each key is new; comments are kept to one printable line', () => {
    expect(generateDeployKey('x').fingerprint).not.toBe(generateDeployKey('x').fingerprint);
    expect(generateDeployKey('a\nb').publicKey).toMatch(/ ab$/);
  });
});

describe('fingerprints', () => {
  test('fingerprintOfPublicBlob is unpadded base64 of sha256 of the blob', () => {
    const blob = Buffer.from(generateDeployKey('x').publicKey.split(' ')[1], 'base64');
    const b64 = createHash('sha256').update(blob).digest('base64');
    expect(b64.endsWith('=')).toBe(true);
    expect(fingerprintOfPublicBlob(blob)).toBe('SHA256:' + b64.replace(/=+$/, ''));
    expect(keyTypeOfPublicBlob(blob)).toBe('ssh-ed25519');
    expect(keyTypeOfPublicBlob(Buffer.from([0, 0]))).toBe('unknown');
  });

  test('normalizeFingerprint accepts OpenSSH SHA256 only', () => {
    const fp = generateDeployKey('x').fingerprint;
    expect(normalizeFingerprint(` ${fp}= `)).toBe(fp);
    expect(normalizeFingerprint(fp.slice(7))).toBeNull();
    expect(normalizeFingerprint('MD5:12:34')).toBeNull();
    expect(normalizeFingerprint('ab'.repeat(32))).toBeNull();
  });
});

describe('parsePrivateKey', () => {
  const cases: Array<[string, string[], string]> = [
    ['ed25519', [], 'ssh-ed25519'],
    ['ecdsa', ['-b', '256'], 'ecdsa-sha2-nistp256'],
    ['ecdsa', ['-b', '384'], 'ecdsa-sha2-nistp384'],
    ['ecdsa', ['-b', '521'], 'ecdsa-sha2-nistp521'],
    ['rsa', ['-b', '2048'], 'ssh-rsa'],
  ];
  for (const [type, extra, keyType] of cases) {
    for (const format of ['OpenSSH', 'PEM', 'PKCS8']) {
      if (type === 'ed25519' && format === 'PEM') continue; // no traditional PEM for ed25519
      test(`${keyType} ${extra.join(' ')} in ${format} format`, () => {
        const file = sshKeygen(type, [...extra, ...(format === 'OpenSSH' ? [] : ['-m', format])]);
        const parsed = parsePrivateKey(readFileSync(file, 'utf8'));
        expect(parsed.keyType).toBe(keyType);
        expect(parsed.fingerprint).toBe(sshFingerprint(file));
        expect(parsed.publicKey.split(' ').slice(0, 2).join(' ')).toBe(keygen(['-y', '-f', file]).trim().split(' ').slice(0, 2).join(' '));
        expect(ssh2.utils.parseKey(parsed.privateKey)).not.toBeInstanceOf(Error);
      });
    }
  }

  test('node:crypto PKCS#8 ed25519 PEM (which ssh2 alone cannot read) is normalised to OpenSSH', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(ssh2.utils.parseKey(pem)).toBeInstanceOf(Error);
    const parsed = parsePrivateKey(pem);
    expect(parsed.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    expect(parsed.keyType).toBe('ssh-ed25519');
  });

  test('CRLF line endings and surrounding blanks are accepted', () => {
    const file = sshKeygen('ed25519');
    const text = '\n  ' + readFileSync(file, 'utf8').replace(/\n/g, '\r\n') + '\r\n';
    expect(parsePrivateKey(text).fingerprint).toBe(sshFingerprint(file));
  });

  test('an encrypted key needs its passphrase, and the error says so', () => {
    const file = join(dir, 'enc');
    keygen(['-q', '-t', 'ed25519', '-N', 'sesame', '-f', file]);
    const text = readFileSync(file, 'utf8');
    expect(() => parsePrivateKey(text)).toThrow(/encrypted.*passphrase/);
    expect(() => parsePrivateKey(text, 'wrong')).toThrow(/passphrase is wrong/);
    expect(parsePrivateKey(text, 'sesame').fingerprint).toBe(sshFingerprint(file));
    const pem = join(dir, 'encpem');
    keygen(['-q', '-t', 'rsa', '-b', '2048', '-m', 'PKCS8', '-N', 'sesame', '-f', pem]);
    expect(() => parsePrivateKey(readFileSync(pem, 'utf8'))).toThrow(/encrypted/);
    expect(parsePrivateKey(readFileSync(pem, 'utf8'), 'sesame').keyType).toBe('ssh-rsa');
  });

  test('clear errors that never echo the key', () => {
    const file = sshKeygen('ed25519');
    const priv = readFileSync(file, 'utf8');
    const pub = readFileSync(file + '.pub', 'utf8');
    const body = priv.split('\n')[1];
    const attempts: Array<[string, RegExp]> = [
      ['', /empty/],
      [pub, /public key/],
      ['hello world', /not a private key/],
      [priv.split('\n').slice(0, 3).join('\n') + '\n-----END OPENSSH PRIVATE KEY-----', /not a private key/],
      ['x'.repeat(70_000), /larger/],
    ];
    for (const [text, re] of attempts) {
      let err: unknown;
      try {
        parsePrivateKey(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SshKeyError);
      expect((err as SshKeyError).code).toBe('INVALID_PEM');
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain(body.slice(0, 16));
      expect((err as Error).message).not.toContain('AAAA');
    }
  });

  test('RSA keys under 2048 bits are refused', () => {
    const file = sshKeygen('rsa', ['-b', '1024']);
    expect(() => parsePrivateKey(readFileSync(file, 'utf8'))).toThrow(/1024 bits is too weak/);
  });
});
