/**
 * Adopting an existing PKI (issue 14): the report an import gives before anything is stored. It
 * says which layout the files are in, which certificate of the catalog each file is, every
 * difference from the plan with its reason, key pairs, chains and expiry, and the files it did
 * not recognise. It never holds private key material: it is served over the API and shown in
 * the page. Built by apps/server/src/services/import/ (pure); stored and served by the imports
 * service.
 */
import Type from 'typebox';

/**
 * The layout an import is in. tutorial: the files the tutorial's cfssl commands write
 * (ca.pem, ca-key.pem, <name>.pem, <name>-key.pem): adoptable. kubeadm: an /etc/kubernetes/pki
 * folder; kubeconfig: kubeconfigs with embedded certificates; both read-only (inventoried and
 * checked, not adopted). unknown: nothing kpki recognises.
 */
export const ImportLayout = Type.Union([Type.Literal('tutorial'), Type.Literal('kubeadm'), Type.Literal('kubeconfig'), Type.Literal('unknown')]);
export type ImportLayout = Type.Static<typeof ImportLayout>;

/**
 * Stable codes of what an import finds wrong. On a file: SAN_MISSING, SAN_EXTRA, SUBJECT (an
 * attribute other than CN differs, e.g. a wrong O), CN_OTHER_NODE (a kubelet certificate naming
 * another node), CN_MISMATCH (the CN is another certificate's), UNKNOWN_NODE (a kubelet
 * certificate for a node the topology lacks), USAGES, KEY_ALGORITHM, VALIDITY, NOT_CA,
 * KEY_MISSING, KEY_UNREADABLE, KEY_MISMATCH, CHAIN (not signed by the imported CA), EXPIRED,
 * NOT_YET_VALID, FILE_NAME (recognised by its subject under another file name), DUPLICATE (a
 * second file for one certificate). On the report: CA_MISSING, CA_KEY_MISMATCH,
 * CA_KEY_MISSING, CERTIFICATE_MISSING (a certificate of the plan not in the import),
 * READ_ONLY_LAYOUT, NOTHING_RECOGNISED.
 */
export const ImportProblem = Type.Object({
  /** a stable code (see above) */
  code: Type.String({ description: 'a stable code: SAN_MISSING, SAN_EXTRA, SUBJECT, CN_OTHER_NODE, KEY_MISMATCH, CHAIN, EXPIRED, ...' }),
  /** what is wrong and why, in words */
  message: Type.String({ description: 'what is wrong and why, in words' }),
});
export type ImportProblem = Type.Static<typeof ImportProblem>;

/** A SAN as the certificate carries it. */
export const ImportSan = Type.Object({ type: Type.Union([Type.Literal('dns'), Type.Literal('ip')]), value: Type.String() });
export type ImportSan = Type.Static<typeof ImportSan>;

/** One certificate file of the import (with its key file when there is one). */
export const ImportedFile = Type.Object({
  /** the certificate file, relative to the imported folder, '/'-separated: "worker1.pem", "etcd/server.crt" */
  path: Type.String({ description: "the certificate file, relative to the imported folder, '/'-separated" }),
  /** its key file ("worker1-key.pem"), null when the import has none */
  keyPath: Type.Union([Type.String(), Type.Null()], { description: 'its key file, null when the import has none' }),
  /**
   * tutorial layout: the catalog name it matched ("ca", "admin", "worker1", "kubernetes",
   * "service-account", ...), null when it matched none (then it is in `unrecognised`, not here);
   * read-only layouts: its name in that layout ("apiserver", "etcd/peer", "front-proxy-ca")
   */
  name: Type.String({ description: 'tutorial layout: the catalog name it matched; read-only layouts: its name in that layout ("apiserver", "etcd/peer")' }),
  /** what it is for, in words ("kubelet on worker1", "kube-apiserver serving certificate") */
  role: Type.String({ description: 'what it is for, in words' }),
  cn: Type.String(),
  /** the O attributes joined with ", " ("" when none) */
  o: Type.String({ description: 'the O attributes joined with ", " ("" when none)' }),
  /** the issuer, as openssl prints it */
  issuer: Type.String({ description: 'the issuer, as openssl prints it' }),
  serial: Type.String(),
  sans: Type.Array(ImportSan),
  usages: Type.Array(Type.String()),
  isCa: Type.Boolean(),
  notBefore: Type.String(),
  notAfter: Type.String(),
  /** SHA-256 fingerprint of the DER, upper-case hex with colons (as openssl prints it) */
  sha256: Type.String({ description: 'SHA-256 fingerprint of the DER, upper-case hex with colons (as openssl prints it)' }),
  /** the key file holds this certificate's key (public keys compared); null without a readable key file */
  keyMatches: Type.Union([Type.Boolean(), Type.Null()], { description: "the key file holds this certificate's key (public keys compared); null without a readable key file" }),
  /** the certificate verifies against the imported CA (its issuer in read-only layouts); message says by whom or why not */
  chain: Type.Object({ ok: Type.Boolean(), message: Type.String() }),
  /** kpki can take it as the current version of `name`: recognised, its key present and matching, its chain verifying, not a duplicate */
  adoptable: Type.Boolean({ description: 'kpki can take it as the current version of `name`: recognised, key present and matching, chain verifying, not a duplicate' }),
  /** every difference from the plan and every defect, with its reason; [] when it matches the plan */
  problems: Type.Array(ImportProblem),
});
export type ImportedFile = Type.Static<typeof ImportedFile>;

/** A kubeconfig of the import, read for its embedded identity (never adopted: kpki generates its own). */
export const ImportedKubeconfig = Type.Object({
  path: Type.String(),
  /** the server URL of its current context's cluster, "" when none */
  server: Type.String(),
  /** the embedded client certificate's CN and O ("" when it embeds none) */
  cn: Type.String(),
  o: Type.String(),
  notAfter: Type.Union([Type.String(), Type.Null()]),
  /** SHA-256 fingerprint of the embedded client certificate, null when it embeds none */
  sha256: Type.Union([Type.String(), Type.Null()]),
  /** the embedded client key matches the embedded certificate; null when either is missing */
  keyMatches: Type.Union([Type.Boolean(), Type.Null()]),
  /** the client certificate verifies against the embedded certificate-authority-data */
  chain: Type.Object({ ok: Type.Boolean(), message: Type.String() }),
  problems: Type.Array(ImportProblem),
});
export type ImportedKubeconfig = Type.Static<typeof ImportedKubeconfig>;

/** A key pair without a certificate (kubeadm's sa.key and sa.pub: the service-account token keys). */
export const ImportedKeyPair = Type.Object({
  name: Type.String(),
  /** the private key file ("" when only the public key is there) */
  path: Type.String(),
  /** the public key file, null when there is none */
  publicPath: Type.Union([Type.String(), Type.Null()]),
  /** the public key file holds the private key's public half; null when one of them is missing or unreadable */
  keyMatches: Type.Union([Type.Boolean(), Type.Null()]),
  problems: Type.Array(ImportProblem),
});
export type ImportedKeyPair = Type.Static<typeof ImportedKeyPair>;

/** A file the import did not recognise, and why. */
export const UnrecognisedFile = Type.Object({
  path: Type.String(),
  /** why it was set aside ("a certificate signing request: not needed", "CN=foo matches no certificate of the plan") */
  reason: Type.String(),
});
export type UnrecognisedFile = Type.Static<typeof UnrecognisedFile>;

/** The report of an import (POST /clusters/{cluster}/imports answers it, GET .../imports/{id} again). */
export const ImportReport = Type.Object({
  layout: ImportLayout,
  /** when the files were checked (ISO 8601): expiry and chains are as of this moment */
  checkedAt: Type.String({ description: 'when the files were checked (ISO 8601): expiry and chains are as of this moment' }),
  /** the import can be adopted: a tutorial layout whose CA certificate is there (with a matching key, when a key is there) */
  adoptable: Type.Boolean(),
  /** why it cannot be adopted, in words; null when it can */
  notAdoptableReason: Type.Union([Type.String(), Type.Null()], { description: 'why it cannot be adopted, in words; null when it can' }),
  /** the import holds the CA key (matching the CA certificate): adopting it follows the CA key's rule (admin, password re-entered) */
  hasCaKey: Type.Boolean({ description: "the import holds the CA key matching the CA certificate: adopting it follows the CA key's rule (admin, password re-entered)" }),
  /** each recognised certificate file, in catalog order (layout order for read-only layouts) */
  files: Type.Array(ImportedFile),
  /** kubeconfigs found, with their embedded identity */
  kubeconfigs: Type.Array(ImportedKubeconfig),
  /** key pairs without certificates (kubeadm's sa.key/sa.pub) */
  keyPairs: Type.Array(ImportedKeyPair),
  unrecognised: Type.Array(UnrecognisedFile),
  /** problems of the import as a whole: CA missing, CA key not matching, certificates of the plan missing, read-only layout */
  problems: Type.Array(ImportProblem),
});
export type ImportReport = Type.Static<typeof ImportReport>;
