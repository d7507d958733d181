/**
 * Where kpki may connect over SSH (issue 8, item 6): KPKI_SSH_ALLOWED_NETWORKS (CIDRs; default
 * any address but link-local and unspecified ones, so no cloud metadata address and no 0.0.0.0)
 * and KPKI_SSH_ALLOWED_PORTS (ports and ranges; default any). Checked before every dial (host-key
 * scan, distribution, verify) on every address a host name resolves to; the address checked is
 * the address dialled, so a name cannot resolve to another one in between.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { SshError } from './errors.ts';

export interface TargetPolicy {
  /** allowed networks as given (CIDRs), or null: any but {@link REFUSED_BY_DEFAULT} */
  networks: string[] | null;
  /** allowed port ranges [from, to], or null: any */
  ports: Array<[number, number]> | null;
}

export const ANY_TARGET: TargetPolicy = { networks: null, ports: null };
/** link-local (cloud metadata lives there) and unspecified ("this host") addresses */
export const REFUSED_BY_DEFAULT = ['169.254.0.0/16', '0.0.0.0/8', 'fe80::/10', '::/128'];

function blockList(cidrs: string[]): net.BlockList {
  const list = new net.BlockList();
  for (const c of cidrs) {
    const [ip, bits] = c.split('/');
    const type = net.isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(ip, bits === undefined ? (type === 'ipv6' ? 128 : 32) : Number(bits), type);
  }
  return list;
}

/** KPKI_SSH_ALLOWED_NETWORKS as a list, or null when unset; pushes a problem for each entry that is not an address or CIDR. */
export function parseNetworks(raw: string | undefined, problems: string[]): string[] | null {
  const t = (raw ?? '').trim();
  if (!t) return null;
  const entries = t.split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of entries) {
    const [ip, bits, more] = e.split('/');
    const family = net.isIP(ip);
    if (!family || more !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)))) {
      problems.push(`KPKI_SSH_ALLOWED_NETWORKS: ${JSON.stringify(e)} is not an address or CIDR (e.g. 10.0.0.0/8, 192.168.56.0/24, 127.0.0.0/8)`);
    }
  }
  return entries;
}

/** KPKI_SSH_ALLOWED_PORTS ("22,2200-2299") as ranges, or null when unset. */
export function parsePorts(raw: string | undefined, problems: string[]): Array<[number, number]> | null {
  const t = (raw ?? '').trim();
  if (!t) return null;
  const ranges: Array<[number, number]> = [];
  for (const e of t.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(e);
    const from = Number(m?.[1]);
    const to = Number(m?.[2] ?? m?.[1]);
    if (!m || from < 1 || to > 65535 || from > to) problems.push(`KPKI_SSH_ALLOWED_PORTS: ${JSON.stringify(e)} is not a port or a range from 1 to 65535 (e.g. 22 or 2200-2299)`);
    else ranges.push([from, to]);
  }
  return ranges;
}

const describeNetworks = (p: TargetPolicy) => (p.networks ? p.networks.join(', ') : `any but ${REFUSED_BY_DEFAULT.join(', ')}`);

/** Whether `address` (an IP) is in the networks the policy allows. */
export function addressAllowed(policy: TargetPolicy, address: string): boolean {
  const type = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (policy.networks) return blockList(policy.networks).check(address, type);
  return !blockList(REFUSED_BY_DEFAULT).check(address, type);
}

export const portAllowed = (policy: TargetPolicy, port: number) => !policy.ports || policy.ports.some(([a, b]) => port >= a && port <= b);

/**
 * Refuses a port or an IP literal the policy does not allow, without resolving names (the check
 * when SSH settings are saved).
 * @throws SshError SSH_TARGET_NOT_ALLOWED
 */
export function checkTargetLiteral(policy: TargetPolicy, host: string, port: number, node: string): void {
  if (!portAllowed(policy, port)) {
    throw new SshError('SSH_TARGET_NOT_ALLOWED', `port ${port} of node ${node} is not one kpki may connect to (KPKI_SSH_ALLOWED_PORTS: ` +
      `${policy.ports!.map(([a, b]) => (a === b ? a : `${a}-${b}`)).join(', ')}): use an allowed port, or ask the administrator to allow it`, { node });
  }
  if (net.isIP(host) && !addressAllowed(policy, host)) {
    throw new SshError('SSH_TARGET_NOT_ALLOWED', `${host} (node ${node}) is not in the networks kpki may connect to (KPKI_SSH_ALLOWED_NETWORKS: ` +
      `${describeNetworks(policy)}): use the node's address in them, or ask the administrator to allow its network`, { node });
  }
}

/**
 * The address to dial for host:port: every address the host resolves to must be allowed.
 * @throws SshError SSH_TARGET_NOT_ALLOWED, SSH_UNREACHABLE (the name does not resolve)
 */
export async function allowedAddress(policy: TargetPolicy, host: string, port: number, node: string): Promise<string> {
  checkTargetLiteral(policy, host, port, node);
  if (net.isIP(host)) return host;
  let addresses: string[];
  try {
    addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw new SshError('SSH_UNREACHABLE', `cannot resolve ${host}: check the SSH host of node ${node}`, { node });
  }
  const refused = addresses.filter((a) => !addressAllowed(policy, a));
  if (refused.length || !addresses.length) {
    throw new SshError('SSH_TARGET_NOT_ALLOWED', `${host} (node ${node}) resolves to ${refused.join(', ') || 'no address'}, not in the networks kpki may connect to ` +
      `(KPKI_SSH_ALLOWED_NETWORKS: ${describeNetworks(policy)}): use the node's address in them, or ask the administrator to allow its network`, { node });
  }
  return addresses[0];
}
