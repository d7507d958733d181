/**
 * The upper bound of one issuance (issue 8, item 9): key generation is the cost of an issuance,
 * and it grows with the number of certificates times the cost of one key of the cluster's
 * algorithm. One request may ask for at most MAX_ISSUANCE_COST units (RSA-2048 = 1), so nobody
 * can occupy the server's cores for hours with one click (e.g. 5,000 workers with RSA-4096). Pure.
 */
import type { KeyAlgorithm } from './api/cluster.ts';

/** Relative cost of one key (RSA-2048 = 1; RSA key generation grows about with the cube of the size, ECDSA is cheap). */
export const KEY_COST: Readonly<Record<KeyAlgorithm, number>> = {
  'rsa-2048': 1, 'rsa-3072': 3, 'rsa-4096': 8, 'ecdsa-p256': 0.05, 'ecdsa-p384': 0.1,
};

/** At most this many units per issuance: 4,000 RSA-2048 keys, 500 RSA-4096, 80,000 ECDSA P-256. */
export const MAX_ISSUANCE_COST = 4000;

/** Why an issuance of `certificates` keys of `algorithm` is too large (what to do instead), or null when it is within the bound. */
export function issuanceSizeProblem(certificates: number, algorithm: KeyAlgorithm): string | null {
  const cost = certificates * KEY_COST[algorithm];
  if (cost <= MAX_ISSUANCE_COST) return null;
  const most = Math.floor(MAX_ISSUANCE_COST / KEY_COST[algorithm]);
  return `issuing ${certificates} certificates with ${algorithm} keys is more than one issuance may ask for (at most ${most} ${algorithm} keys; ` +
    `${MAX_ISSUANCE_COST} units, an RSA-2048 key = 1, RSA-4096 = 8, ECDSA P-256 = 0.05): choose ecdsa-p256 or a smaller RSA key, or split the workers into several clusters`;
}
