/**
 * An `ssh_config` text read the way OpenSSH's client reads it (ssh_config(5), readconf.c), for
 * the SSH import (issue 16): `Host` blocks with their patterns (`*`, `?`, negation with `!`;
 * the name is lowercased, the patterns are not), keyword and value separated by whitespace or
 * one `=`, double quotes around values, comments; options before the first `Host` apply to every
 * host; for each option the first value obtained wins. `Match` blocks are skipped (noted), as
 * are `Include` (not followed) and keywords kpki does not use. Pure: no file is read.
 *
 * Not the npm package `ssh-config` (5.3.0, checked on Node 20): it takes any text without an
 * error (a broken line becomes an option named after its first word), keeps no line numbers
 * and evaluates `Match` criteria; the bad-input answers need all three.
 */

/** One line that cannot be read: its number (1-based) and what was expected there. */
export interface ConfigLineError {
  line: number;
  message: string;
}

/** Something kpki noticed and does not act on (a `Match` block, an `Include`, an unknown keyword). */
export interface ConfigNote {
  line: number;
  message: string;
}

/** A `Host` block: where it starts and its patterns. */
export interface HostBlock {
  line: number;
  patterns: string[];
  options: ConfigOption[];
}

export interface ConfigOption {
  line: number;
  /** the keyword as OpenSSH knows it (canonical case), or as written when unknown */
  keyword: string;
  args: string[];
}

export interface SshConfig {
  /** options before the first Host: for every host */
  global: ConfigOption[];
  hosts: HostBlock[];
  notes: ConfigNote[];
}

/** What the configuration gives one host name: the first value of each option kpki reads. */
export interface ResolvedHost {
  /** the name looked up */
  name: string;
  /** HostName (with %h expanded), or undefined */
  hostName?: string;
  /** ...and the line it came from */
  hostNameLine?: number;
  user?: string;
  userLine?: number;
  port?: number;
  portLine?: number;
  identityFiles: string[];
  proxyJump?: { value: string; line: number };
  proxyCommand?: { value: string; line: number };
  hostKeyAlias?: string;
  /** the Host blocks (their first line) that matched, in order */
  matched: number[];
  /** true when a block that is not a catch-all (a pattern without wildcard) matched */
  specific: boolean;
}

export class SshConfigError extends Error {
  constructor(readonly errors: ConfigLineError[]) {
    super(errors.map((e) => `line ${e.line}: ${e.message}`).join('; '));
  }
}

/** The ssh_config(5) client keywords (OpenSSH 9.x, and a few older ones OpenSSH still accepts), lowercase -> canonical. */
const KEYWORDS = new Map(
  [
    'Host', 'Match', 'AddKeysToAgent', 'AddressFamily', 'BatchMode', 'BindAddress', 'BindInterface', 'CanonicalDomains',
    'CanonicalizeFallbackLocal', 'CanonicalizeHostname', 'CanonicalizeMaxDots', 'CanonicalizePermittedCNAMEs', 'CASignatureAlgorithms',
    'CertificateFile', 'ChallengeResponseAuthentication', 'ChannelTimeout', 'CheckHostIP', 'Cipher', 'Ciphers', 'ClearAllForwardings',
    'Compression', 'CompressionLevel', 'ConnectionAttempts', 'ConnectTimeout', 'ControlMaster', 'ControlPath', 'ControlPersist',
    'DynamicForward', 'EnableEscapeCommandline', 'EnableSSHKeysign', 'EscapeChar', 'ExitOnForwardFailure', 'FingerprintHash',
    'ForkAfterAuthentication', 'ForwardAgent', 'ForwardX11', 'ForwardX11Timeout', 'ForwardX11Trusted', 'GatewayPorts',
    'GlobalKnownHostsFile', 'GSSAPIAuthentication', 'GSSAPIClientIdentity', 'GSSAPIDelegateCredentials', 'GSSAPIKeyExchange',
    'GSSAPIRenewalForcesRekey', 'GSSAPIServerIdentity', 'GSSAPITrustDns', 'GSSAPIKexAlgorithms', 'HashKnownHosts',
    'HostbasedAcceptedAlgorithms', 'HostbasedAuthentication', 'HostbasedKeyTypes', 'HostKeyAlgorithms', 'HostKeyAlias', 'HostName',
    'IdentitiesOnly', 'IdentityAgent', 'IdentityFile', 'IgnoreUnknown', 'Include', 'IPQoS', 'KbdInteractiveAuthentication',
    'KbdInteractiveDevices', 'KexAlgorithms', 'KnownHostsCommand', 'LocalCommand', 'LocalForward', 'LogLevel', 'LogVerbose', 'MACs',
    'NoHostAuthenticationForLocalhost', 'NumberOfPasswordPrompts', 'ObscureKeystrokeTiming', 'PasswordAuthentication',
    'PermitLocalCommand', 'PermitRemoteOpen', 'PKCS11Provider', 'Port', 'PreferredAuthentications', 'Protocol', 'ProxyCommand',
    'ProxyJump', 'ProxyUseFdpass', 'PubkeyAcceptedAlgorithms', 'PubkeyAcceptedKeyTypes', 'PubkeyAuthentication', 'RekeyLimit',
    'RemoteCommand', 'RemoteForward', 'RequestTTY', 'RequiredRSASize', 'RevokedHostKeys', 'RSAAuthentication', 'SecurityKeyProvider',
    'SendEnv', 'ServerAliveCountMax', 'ServerAliveInterval', 'SessionType', 'SetEnv', 'SmartcardDevice', 'StdinNull',
    'StreamLocalBindMask', 'StreamLocalBindUnlink', 'StrictHostKeyChecking', 'SyslogFacility', 'Tag', 'TCPKeepAlive', 'Tunnel',
    'TunnelDevice', 'UpdateHostKeys', 'UseKeychain', 'User', 'UserKnownHostsFile', 'UsePrivilegedPort', 'VerifyHostKeyDNS',
    'VisualHostKey', 'XAuthLocation',
  ].map((k) => [k.toLowerCase(), k]),
);

/** What each option kpki reads expects, for the error when it has no value. */
const EXPECTS: Record<string, string> = {
  Host: 'one or more host patterns (e.g. "Host worker*")',
  HostName: 'a host name or address',
  User: 'a login name',
  Port: 'a port number from 1 to 65535',
  IdentityFile: 'a key file',
  ProxyJump: 'a jump host or "none"',
  HostKeyAlias: 'an alias',
  Match: 'criteria (e.g. "Match host worker*")',
  Include: 'a file name',
};

/**
 * Splits an ssh_config line into keyword and arguments as OpenSSH does: the keyword ends at
 * whitespace or at one `=`; arguments are separated by whitespace and may be double-quoted.
 */
function splitLine(text: string, line: number, errors: ConfigLineError[]): { keyword: string; args: string[] } | null {
  const m = /^([^\s=]+)\s*(?:=\s*)?(.*)$/.exec(text);
  if (!m) {
    errors.push({ line, message: 'expected a keyword followed by its value (e.g. "HostName 192.0.2.10")' });
    return null;
  }
  const [, keyword, rest] = m;
  const args: string[] = [];
  let i = 0;
  while (i < rest.length) {
    while (i < rest.length && /\s/.test(rest[i])) i++;
    if (i >= rest.length) break;
    if (rest[i] === '#' ) break; // a comment after the value
    if (rest[i] === '"') {
      const end = rest.indexOf('"', i + 1);
      if (end < 0) {
        errors.push({ line, message: `unterminated quote in the value of ${keyword}: expected a closing "` });
        return null;
      }
      args.push(rest.slice(i + 1, end));
      i = end + 1;
    } else {
      let j = i;
      while (j < rest.length && !/\s/.test(rest[j]) && rest[j] !== '"') j++;
      args.push(rest.slice(i, j));
      i = j;
    }
  }
  return { keyword, args };
}

/**
 * Reads an ssh_config text. Throws SshConfigError with every line that cannot be read (its number
 * and what was expected); everything else it does not use is in `notes`.
 */
export function parseSshConfig(text: string): SshConfig {
  const errors: ConfigLineError[] = [];
  const notes: ConfigNote[] = [];
  const global: ConfigOption[] = [];
  const hosts: HostBlock[] = [];
  let current: ConfigOption[] | null = global;
  let ignoreUnknown: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (!text || text.startsWith('#')) return;
    const split = splitLine(text, line, errors);
    if (!split) return;
    const canonical = KEYWORDS.get(split.keyword.toLowerCase());
    if (!canonical) {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(split.keyword)) {
        errors.push({ line, message: `expected a keyword (letters, e.g. "HostName", "User", "Port"), found ${JSON.stringify(split.keyword.slice(0, 40))}` });
      } else if (!ignoreUnknown.some((p) => matchPattern(split.keyword.toLowerCase(), p.toLowerCase()))) {
        notes.push({ line, message: `unknown keyword "${split.keyword}" ignored (OpenSSH would stop with "Bad configuration option")` });
      }
      return;
    }
    if (split.args.length === 0 && canonical in EXPECTS) {
      errors.push({ line, message: `${canonical} expects ${EXPECTS[canonical]}` });
      return;
    }
    if (canonical === 'Host') {
      const block: HostBlock = { line, patterns: split.args, options: [] };
      hosts.push(block);
      current = block.options;
      return;
    }
    if (canonical === 'Match') {
      notes.push({ line, message: `Match block skipped ("Match ${split.args.join(' ')}"): kpki reads Host blocks only; its options up to the next Host or Match are not used` });
      current = null;
      return;
    }
    if (canonical === 'Include') {
      notes.push({ line, message: `Include ${split.args.join(' ')} not followed (kpki reads the text given, not files): paste the included file's text too` });
      return;
    }
    if (canonical === 'IgnoreUnknown') ignoreUnknown = split.args.flatMap((a) => a.split(','));
    if (canonical === 'Port') {
      const port = Number(split.args[0]);
      if (!/^\d+$/.test(split.args[0]) || port < 1 || port > 65535) {
        errors.push({ line, message: `Port expects a port number from 1 to 65535, found ${JSON.stringify(split.args[0].slice(0, 40))}` });
        return;
      }
    }
    current?.push({ line, keyword: canonical, args: split.args });
  });
  if (errors.length) throw new SshConfigError(errors);
  return { global, hosts, notes };
}

/** OpenSSH's match_pattern: `*` any run, `?` one character; the whole string. */
export function matchPattern(s: string, pattern: string): boolean {
  let re = '^';
  for (const ch of pattern) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${re}$`, 's').test(s);
}

/**
 * A Host line's patterns against a name (OpenSSH match_host_pattern over the list): a negated
 * pattern that matches rejects the line; otherwise any positive pattern that matches accepts it.
 */
export function hostLineMatches(name: string, patterns: string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (matchPattern(name, negated ? p.slice(1) : p)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

const CATCH_ALL = (patterns: string[]) => patterns.every((p) => p.startsWith('!') || /[*?]/.test(p));

/** %h (the name) and %% in HostName, as OpenSSH expands them. */
function expandHostName(value: string, name: string): string {
  return value.replace(/%[%h]/g, (t) => (t === '%%' ? '%' : name));
}

/** What `ssh <name>` would take from the configuration: first value obtained wins (global options first, then matching Host blocks in order). */
export function resolveHost(config: SshConfig, rawName: string): ResolvedHost {
  const name = rawName.toLowerCase();
  const out: ResolvedHost = { name, identityFiles: [], matched: [], specific: false };
  const take = (opts: ConfigOption[]) => {
    for (const o of opts) {
      const v = o.args[0];
      switch (o.keyword) {
        case 'HostName': if (out.hostName === undefined) { out.hostName = expandHostName(v, name); out.hostNameLine = o.line; } break;
        case 'User': if (out.user === undefined) { out.user = v; out.userLine = o.line; } break;
        case 'Port': if (out.port === undefined) { out.port = Number(v); out.portLine = o.line; } break;
        case 'IdentityFile': out.identityFiles.push(v); break;
        case 'ProxyJump': if (!out.proxyJump) out.proxyJump = { value: v, line: o.line }; break;
        case 'ProxyCommand': if (!out.proxyCommand) out.proxyCommand = { value: o.args.join(' '), line: o.line }; break;
        case 'HostKeyAlias': out.hostKeyAlias ??= v; break;
        default: break;
      }
    }
  };
  take(config.global);
  for (const h of config.hosts) {
    if (!hostLineMatches(name, h.patterns)) continue;
    out.matched.push(h.line);
    if (!CATCH_ALL(h.patterns)) out.specific = true;
    take(h.options);
  }
  if (out.proxyJump?.value.toLowerCase() === 'none') delete out.proxyJump;
  if (out.proxyCommand?.value.toLowerCase() === 'none') delete out.proxyCommand;
  return out;
}
