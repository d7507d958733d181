/**
 * Renews one certificate of a cluster through the one store path every certificate change takes
 * (certificatesRepository.storeIssuance): a new key and certificate from the current plan,
 * signed by the stored CA, the old version superseded.
 */
import type { FastifyInstance } from 'fastify';
import { buildCatalog } from '@kpki/shared/catalog';
import { certificateColumns, issueAll } from '../../src/pki/index.ts';

/** Renews `name` in `clusterName`; returns the new certificate's PEM. */
export async function renewCertificate(app: FastifyInstance, clusterName: string, name: string): Promise<string> {
  const { deps } = app;
  const row = deps.clusters.get(clusterName);
  if (!row) throw new Error(`no cluster ${clusterName}`);
  const ca = deps.certificates.getCurrent(row.id, 'ca');
  const planned = buildCatalog(row.input).find((c) => c.name === name);
  if (!ca || !planned) throw new Error(`cannot renew ${name}: no CA or no such certificate`);
  const [issued] = await issueAll({
    ca: { certPem: ca.pem, keyPem: deps.certificates.keyPem(ca) }, certificates: [planned], subject: row.input.subject,
    algorithm: row.input.keyAlgorithm, validityHours: row.input.certValidityHours, now: deps.now(),
  });
  const prepared = deps.certificates.prepare({ name, ...certificateColumns(issued.certPem), keyAlgorithm: row.input.keyAlgorithm, pem: issued.certPem, keyPem: issued.keyPem });
  deps.certificates.storeIssuance(row.id, 'leaves', null, [prepared], deps.now().toISOString(), row.input);
  return issued.certPem;
}
