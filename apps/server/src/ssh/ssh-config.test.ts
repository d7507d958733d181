/** ssh_config and known_hosts as OpenSSH reads them (issue 16): matching, first value wins, notes, bad input with line numbers. */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { hostLineMatches, parseSshConfig, resolveHost, SshConfigError } from './ssh-config.ts';
import { entryMatches, KnownHostsError, lookupKnownHosts, parseKnownHosts } from './known-hosts.ts';
import { judgeKnownKey } from '../services/ssh-import.service.ts';

const errorsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof SshConfigError || err instanceof KnownHostsError) return err.errors;
    throw err;
  }
  throw new Error('no error');
};

// an ed25519 public key blob (type string + 32 bytes)
const blob = (type = 'ssh-ed25519', fill = 1) => {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  const klen = Buffer.alloc(4);
  klen.writeUInt32BE(32);
  return Buffer.concat([len, t, klen, Buffer.alloc(32, fill)]).toString('base64');
};

describe('ssh_config', () => {
  const text = [
    '# the tutorial\'s nodes',
    'Port 2200',
    'Host cp* !cp3',
    '  HostName 10.0.0.%h',
    '  User=alice',
    'Host cp1',
    '  User bob',
    '  Port 22',
    '  IdentityFile ~/.ssh/kube',
    'Host "worker1" worker2',
    '  HostName = 10.0.1.1',
    'Match host worker*',
    '  User mallory',
    'Host jumpy',
    '  ProxyJump bastion',
    'Host *',
    '  User everyone',
    'Host unused-one',
    '  HostName 10.9.9.9',
    'Frobnicate yes',
  ].join('\n');

  test('Host patterns: wildcards and negation as OpenSSH matches them, the name lowercased', () => {
    expect(hostLineMatches('cp1', ['cp*', '!cp3'])).toBe(true);
    expect(hostLineMatches('cp3', ['cp*', '!cp3'])).toBe(false);
    expect(hostLineMatches('cp3', ['!cp3'])).toBe(false);
    expect(hostLineMatches('node-1', ['node-?'])).toBe(true);
    expect(hostLineMatches('node-12', ['node-?'])).toBe(false);
    expect(resolveHost(parseSshConfig('Host CP1\n HostName x'), 'cp1').hostName).toBeUndefined();
    expect(resolveHost(parseSshConfig('Host cp1\n HostName x'), 'CP1').hostName).toBe('x');
  });

  test('the first value obtained wins; global options first; %h expanded; Match skipped', () => {
    const c = parseSshConfig(text);
    const cp1 = resolveHost(c, 'cp1');
    expect(cp1).toMatchObject({ hostName: '10.0.0.cp1', user: 'alice', port: 2200, identityFiles: ['~/.ssh/kube'], specific: true });
    expect(cp1.matched).toEqual([3, 6, 16]);
    const w2 = resolveHost(c, 'worker2');
    expect(w2).toMatchObject({ hostName: '10.0.1.1', user: 'everyone', port: 2200 });
    expect(resolveHost(c, 'worker1').hostName).toBe('10.0.1.1'); // quoted pattern
    expect(resolveHost(c, 'cp3')).toMatchObject({ user: 'everyone', specific: false });
    expect(resolveHost(c, 'cp3').hostName).toBeUndefined();
    expect(resolveHost(c, 'jumpy').proxyJump).toEqual({ value: 'bastion', line: 15 });
    expect(resolveHost(parseSshConfig('Host a\n ProxyJump none'), 'a').proxyJump).toBeUndefined();
    expect(c.notes.map((n) => n.line)).toEqual([12, 20]);
    expect(c.notes[0].message).toMatch(/^Match block skipped/);
    expect(c.notes[1].message).toMatch(/unknown keyword "Frobnicate"/);
  });

  test('IgnoreUnknown silences a keyword; Include is noted; comments after values', () => {
    const c = parseSshConfig('IgnoreUnknown UseKeychain2,Foo*\nUseKeychain2 yes\nFooBar 1\nInclude ~/.ssh/config.d/*\nHost a # the a\n HostName b # there');
    expect(c.notes).toEqual([{ line: 4, message: expect.stringMatching(/^Include .* not followed/) }]);
    expect(resolveHost(c, 'a').hostName).toBe('b');
  });

  test('lines that cannot be read: their number and what was expected', () => {
    const errors = errorsOf(() => parseSshConfig('Host a\n  HostName\n  Port 70000\n  User "alice\n=bad\n  Port x2\nHost\n  Hos!tName a'));
    expect(errors).toEqual([
      { line: 2, message: 'HostName expects a host name or address' },
      { line: 3, message: 'Port expects a port number from 1 to 65535, found "70000"' },
      { line: 4, message: 'unterminated quote in the value of User: expected a closing "' },
      { line: 5, message: expect.stringMatching(/^expected a keyword followed by its value/) },
      { line: 6, message: 'Port expects a port number from 1 to 65535, found "x2"' },
      { line: 7, message: 'Host expects one or more host patterns (e.g. "Host worker*")' },
      { line: 8, message: expect.stringMatching(/^expected a keyword \(letters/) },
    ]);
  });
});

describe('known_hosts', () => {
  const ed = blob();
  test('plain, [host]:port, comma lists, negation and wildcards', () => {
    const entries = parseKnownHosts(`# keyscan\ncp1,10.0.0.1 ssh-ed25519 ${ed}\n[10.0.0.2]:2222 ssh-ed25519 ${ed} comment here\n*.lab,!bad.lab ssh-ed25519 ${ed}\n`);
    expect(entries.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(entries[0].fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(lookupKnownHosts(entries, '10.0.0.1', 22).map((e) => e.line)).toEqual([2]);
    expect(lookupKnownHosts(entries, '10.0.0.1', 2222)).toEqual([]);
    expect(lookupKnownHosts(entries, '10.0.0.2', 2222).map((e) => e.line)).toEqual([3]);
    expect(lookupKnownHosts(entries, '10.0.0.2', 22)).toEqual([]);
    expect(lookupKnownHosts(entries, 'a.lab', 22).map((e) => e.line)).toEqual([4]);
    expect(lookupKnownHosts(entries, 'bad.lab', 22)).toEqual([]);
  });

  test('a hashed name is HMAC-SHA1 of the name keyed with the salt', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[127.0.0.5]:2201').digest();
    const [e] = parseKnownHosts(`|1|${salt.toString('base64')}|${hash.toString('base64')} ssh-ed25519 ${ed}`);
    expect(entryMatches(e, '127.0.0.5', 2201)).toBe(true);
    expect(entryMatches(e, '127.0.0.5', 22)).toBe(false);
    expect(entryMatches(e, '127.0.0.6', 2201)).toBe(false);
  });

  test('markers are kept; bad lines name their number and what was expected', () => {
    const entries = parseKnownHosts(`@revoked * ssh-ed25519 ${ed}\n@cert-authority *.lab ssh-ed25519 ${ed}`);
    expect(entries.map((e) => e.marker)).toEqual(['revoked', 'cert-authority']);
    const errors = errorsOf(() => parseKnownHosts(`@trusted a ssh-ed25519 ${ed}\nhost ssh-ed25519\nhost 2048 35 1234\nhost ssh-rsa ${ed}\nhost ssh-ed25519 not*base64\n|1|abc|def ssh-ed25519 ${ed}`));
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(errors[0].message).toMatch(/expected @cert-authority or @revoked/);
    expect(errors[1].message).toMatch(/expected host names, a key type and a base64 key/);
    expect(errors[2].message).toMatch(/protocol 1/);
    expect(errors[3].message).toBe('the key is a ssh-ed25519 key but the line says ssh-rsa: expected the key type the key has');
    expect(errors[4].message).toMatch(/expected a base64 key/);
    expect(errors[5].message).toMatch(/\|1\|/);
  });

  test('the key a node presents against known_hosts: match, wrong key, other type, revoked, several', () => {
    const [k1, k2] = [parseKnownHosts(`h ssh-ed25519 ${blob('ssh-ed25519', 1)}`)[0], parseKnownHosts(`h ssh-ed25519 ${blob('ssh-ed25519', 2)}`)[0]];
    const rsa = { ...k1, keyType: 'ssh-rsa', fingerprint: 'SHA256:rsa', line: 7 };
    const presented = { fingerprint: k1.fingerprint, keyType: 'ssh-ed25519' };
    expect(judgeKnownKey([k1], presented, 'h').pinned?.fingerprint).toBe(k1.fingerprint);
    expect(judgeKnownKey([k2], presented, 'h').problem?.code).toBe('known-hosts-wrong-key');
    expect(judgeKnownKey([rsa], presented, 'h').problem?.code).toBe('known-hosts-key-type');
    expect(judgeKnownKey([{ ...k2, line: 2 }, { ...k2, fingerprint: 'SHA256:x', line: 3 }], presented, 'h').problem?.code).toBe('known-hosts-several-keys');
    expect(judgeKnownKey([k1, { ...k1, marker: 'revoked' }], presented, 'h').problem?.code).toBe('known-hosts-revoked');
    expect(judgeKnownKey([], presented, 'h').problem?.code).toBe('known-hosts-no-entry');
    const both = judgeKnownKey([k1, rsa, { ...k2, line: 9 }], presented, 'h');
    expect(both.pinned?.line).toBe(1);
    expect(both.notes.join(' ')).toMatch(/2 different ssh-ed25519 keys.*also holds ssh-rsa/);
  });
});
