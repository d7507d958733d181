/** Shapes of the generated kubeconfigs as the API returns them (TypeBox schemas and their types). */
import Type from 'typebox';
import { PlannedKubeconfigFields } from '../plan.ts';

/** Row of GET /clusters/{cluster}/kubeconfigs: the planned kubeconfig and what it embeds now. */
export const KubeconfigSummary = Type.Object({
  ...PlannedKubeconfigFields,
  /** the certificates embedded ("ca" and the client certificate), with the serial of the current version (null before issuance) */
  embeds: Type.Array(Type.Object({ name: Type.String(), serial: Type.Union([Type.String(), Type.Null()]) }), {
    description: 'the certificates embedded ("ca" and the client certificate), with the serial of the current version (null before issuance)',
  }),
  /** SHA-256 of the file as kpki distributes it now; null until the certificates it embeds are issued */
  sha256: Type.Union([Type.String(), Type.Null()], { description: 'SHA-256 of the file as kpki distributes it now; null until the certificates it embeds are issued' }),
  /** downloading it follows the CA key's rule: admins with the password re-entered (it is a cluster-admin credential) */
  caKeyRule: Type.Boolean({ description: "downloading it follows the CA key's rule: admins with the password re-entered" }),
});
export type KubeconfigSummary = Type.Static<typeof KubeconfigSummary>;
