/** Reading certificates: summaries with recipients, the full detail, the address check. */
import type { AddressCheck, CertificateDetail, CertificateSummary } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { expiryOf, thresholdsFor } from '@kpki/shared/expiry';
import { dialedAddress, setAside } from '@kpki/shared/dialed-address';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { CertificateRow, StoredCertificate } from '../store/certificates.repository.ts';
import { certificateText, checkAddress, parseCertificate, verifyChain } from '../pki/index.ts';
import { notAfterCapped } from './expiry.service.ts';

function recipientsByName(row: ClusterRow): Map<string, string[]> {
  return new Map(buildCatalog(row.input).map((c) => [c.name, c.recipients]));
}

/** A certificate as lists show it: with its time left and state at deps.now(), and whether its notAfter was capped. */
function summaryOf(
  deps: Deps, row: ClusterRow, c: CertificateRow,
  recipients: Map<string, string[]> = recipientsByName(row), ca: StoredCertificate | null = deps.certificates.getCurrent(row.id, 'ca'),
): CertificateSummary {
  const { residualSeconds, state } = expiryOf(c.notAfter, deps.now(), thresholdsFor(c.name, row.input));
  return {
    name: c.name, cn: c.cn, o: c.o, serial: c.serial, notBefore: c.notBefore, notAfter: c.notAfter, sha256: c.sha256,
    keyAlgorithm: c.keyAlgorithm, issuanceId: c.issuanceId, status: c.status, source: c.source, recipients: c.status === 'retired' ? [] : (recipients.get(c.name) ?? []),
    residualSeconds, expiryState: state, notAfterCapped: notAfterCapped(c, ca),
  };
}

export function listCertificates(deps: Deps, row: ClusterRow, status: 'current' | 'all'): CertificateSummary[] {
  const recipients = recipientsByName(row);
  const rows = status === 'all' ? deps.certificates.listAll(row.id) : deps.certificates.listCurrentRows(row.id);
  const ca = deps.certificates.getCurrent(row.id, 'ca');
  return rows.map((c) => summaryOf(deps, row, c, recipients, ca));
}

/** The summary of the current certificate `name`, with the nodes that receive it. */
export function certificateSummary(deps: Deps, row: ClusterRow, name: string): CertificateSummary {
  return summaryOf(deps, row, findCertificate(deps, row, name));
}

/** The current certificate of that name, or the version with that serial. */
export function findCertificate(deps: Deps, row: ClusterRow, name: string, serial?: string): StoredCertificate {
  const c = serial ? deps.certificates.getBySerial(row.id, name, serial.toLowerCase()) : deps.certificates.getCurrent(row.id, name);
  if (!c) {
    throw new AppError('CERTIFICATE_NOT_FOUND', serial
      ? `certificate "${name}" with serial ${serial} does not exist in cluster "${row.name}"`
      : `certificate "${name}" has not been issued in cluster "${row.name}": create the CA and issue first`);
  }
  return c;
}

export function certificateDetail(deps: Deps, row: ClusterRow, name: string, serial?: string): CertificateDetail {
  const c = findCertificate(deps, row, name, serial);
  const ca = deps.certificates.getCurrent(row.id, 'ca');
  const parsed = parseCertificate(c.pem);
  const planned = buildCatalog(row.input).find((p) => p.name === name);
  const reason = (type: string, value: string) =>
    planned?.sans.find((s) => s.type === type && s.value.toLowerCase() === value.toLowerCase())?.reason ?? 'not in the current plan (issued from an earlier topology)';
  return {
    ...parsed,
    name: c.name, status: c.status, source: c.source, issuanceId: c.issuanceId, pem: c.pem,
    sansWithReasons: parsed.sans.map((s) => ({ ...s, reason: reason(s.type, s.value) })),
    chain: ca ? verifyChain(c.pem, ca.pem, deps.now()) : { ok: false, message: 'the cluster has no CA' },
    recipients: planned?.recipients ?? [],
    text: certificateText(c.pem),
  };
}

export function checkCertificateAddress(deps: Deps, row: ClusterRow, name: string, address: string): AddressCheck {
  if (!address || address.length > 253) throw new AppError('INVALID_ADDRESS', 'give ?address= a DNS name or an IP address (at most 253 characters)');
  // what people paste: host:port, a URL, [IPv6]:port; a certificate names only the host
  const dialed = dialedAddress(address);
  const check = checkAddress(findCertificate(deps, row, name).pem, dialed.host);
  const note = setAside(dialed);
  return note ? { ...check, note } : check;
}
