/** Shapes of the generated kubeconfigs as the API returns them. */
import type { PlannedKubeconfig } from '../plan.ts';

/** Row of GET /clusters/{cluster}/kubeconfigs: the planned kubeconfig and what it embeds now. */
export interface KubeconfigSummary extends Omit<PlannedKubeconfig, 'embeds'> {
  /** the certificates embedded ("ca" and the client certificate), with the serial of the current version (null before issuance) */
  embeds: Array<{ name: string; serial: string | null }>;
  /** SHA-256 of the file as kpki distributes it now; null until the certificates it embeds are issued */
  sha256: string | null;
  /** downloading it follows the CA key's rule: admins with the password re-entered (it is a cluster-admin credential) */
  caKeyRule: boolean;
}
