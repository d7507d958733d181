/**
 * pki/: pure X.509 for kpki. Keys, the CA, leaves with the tutorial's profile, whole-catalog
 * issuance, and reading certificates back (parse, OpenSSL-style text, chain and address checks).
 * No fastify, sqlite, ssh or file system here; private keys only ever leave as return values.
 */
export type { KeyAlgorithm } from '@kpki/shared';
export { generateKeyPair, exportPrivateKeyPem, importPrivateKey, keyPairFromPem, privateKeyAlgorithm, keygenParallelism } from './keys.ts';
export { certificateFacts } from './facts.ts';
export { createCa, type CreateCaOptions, type CertificateAndKey } from './ca.ts';
export { issueCertificate, type IssueOptions, type IssuedCertificate } from './leaf.ts';
export { issueAll, type IssueAllOptions, type IssuedEntry } from './issue-all.ts';
export { certificateColumns, parseCertificate, type CertificateColumns } from './inspect.ts';
export { PkiError } from './errors.ts';
export { certificateText } from './text.ts';
export { verifyChain, type ChainResult } from './verify.ts';
export { checkAddress } from './address.ts';
export { crossSignCa } from './cross-sign.ts';
