/**
 * What people paste into "valid for this address?": a host, a host and port, a URL. A certificate
 * names hosts, never ports or schemes, so only the host is checked; the rest is said back.
 * `10.32.0.1:6443`, `https://192.168.56.20:6443/healthz`, `[fd00::1]:6443` and `fd00::1` give the
 * hosts `10.32.0.1`, `192.168.56.20`, `fd00::1` and `fd00::1`. Pure.
 */

export interface DialedAddress {
  /** the host a TLS client checks against the SANs (IPv6 without brackets) */
  host: string;
  port: number | null;
  scheme: string | null;
}

/** The host (and port, scheme) in what was pasted; the trimmed text itself when it is none of the forms above. */
export function dialedAddress(pasted: string): DialedAddress {
  let rest = pasted.trim();
  let scheme: string | null = null;
  const withScheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(rest);
  if (withScheme) {
    scheme = withScheme[1].toLowerCase();
    rest = withScheme[2].replace(/[/?#].*$/, '').replace(/^[^@]*@/, '');
  }
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(rest);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : null, scheme };
  // one colon: host:port; more than one: a bare IPv6 address (its last group is no port)
  const hostPort = /^([^:]+):(\d{1,5})$/.exec(rest);
  if (hostPort) return { host: hostPort[1], port: Number(hostPort[2]), scheme };
  return { host: rest, port: null, scheme };
}

/** "port 6443 and the scheme https are not part of a certificate's check": what was set aside, or ''. */
export function setAside(d: DialedAddress): string {
  const parts = [d.scheme ? `the scheme ${d.scheme}` : '', d.port !== null ? `port ${d.port}` : ''].filter(Boolean);
  return parts.length ? `${parts.join(' and ')} ${parts.length > 1 ? 'are' : 'is'} not part of a certificate's check: only the host is` : '';
}
