/**
 * Imports of an existing PKI as the API answers them (issue 14): a pending import with its report
 * (the report's own schema: api/imports.ts), and what adoption stored. Never key material.
 */
import Type from 'typebox';
import { ImportReport } from './imports.ts';

/** Where an import's files came from. */
export const ImportOrigin = Type.Union([
  Type.Object({
    kind: Type.Literal('archive'),
    /** application/gzip (a .tar.gz) or application/zip */
    mediaType: Type.String({ description: 'application/gzip (a .tar.gz) or application/zip' }),
    /** size of the uploaded archive */
    bytes: Type.Integer({ description: 'size of the uploaded archive in bytes' }),
  }),
  Type.Object({
    kind: Type.Literal('pull'),
    /** the node of the cluster the folder was read from, over SFTP with its SSH settings and pinned host key */
    node: Type.String({ description: 'the node of the cluster the folder was read from (SFTP, its SSH settings and pinned host key)' }),
    path: Type.String({ description: 'the folder read on the node' }),
  }),
]);
export type ImportOrigin = Type.Static<typeof ImportOrigin>;

export const ImportState = Type.Union([Type.Literal('pending'), Type.Literal('adopted'), Type.Literal('discarded')], {
  description: 'pending until adopted or discarded; a pending import not adopted within 24 hours is discarded',
});
export type ImportState = Type.Static<typeof ImportState>;

/** Body of POST .../imports as JSON: pull a folder from a node of the cluster. */
export const ImportPullRequest = Type.Object({
  node: Type.String({ minLength: 1, maxLength: 63, description: 'a node of the cluster with SSH settings and a pinned host key' }),
  path: Type.String({ minLength: 1, maxLength: 4096, description: 'the folder to read: absolute ("/etc/kubernetes/pki") or under the SSH user\'s home ("~/k8s-cluster/certs")' }),
}, { additionalProperties: false });
export type ImportPullRequest = Type.Static<typeof ImportPullRequest>;

/** POST .../imports (201), GET .../imports/{id}: the import and its report. */
export const ImportView = Type.Object({
  id: Type.String(),
  state: ImportState,
  origin: ImportOrigin,
  /** the files hold a CA key: uploading and adopting it follow the CA key rule */
  hasCaKey: Type.Boolean({ description: 'the files hold a CA key: uploading and adopting follow the CA key rule' }),
  createdBy: Type.String(),
  createdAt: Type.String(),
  /** a pending import not adopted by then is discarded */
  expiresAt: Type.String({ description: 'a pending import not adopted by then is discarded' }),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  endedBy: Type.Union([Type.String(), Type.Null()]),
  endReason: Type.Union([Type.String(), Type.Null()]),
  /** the issuance adoption stored (GET .../issuances, kind import) */
  issuanceId: Type.Union([Type.String(), Type.Null()], { description: 'the issuance adoption stored (kind import)' }),
  report: ImportReport,
});
export type ImportView = Type.Static<typeof ImportView>;

/** POST .../imports/{id}/adopt (200): what became current, and what was left out and why. */
export const ImportAdopted = Type.Object({
  id: Type.String(),
  issuanceId: Type.String(),
  /** certificates stored as the cluster's current versions, with the files they came from */
  adopted: Type.Array(Type.Object({ name: Type.String(), certificate: Type.String(), key: Type.String() })),
  /** recognised certificates left out (no key, another key, another CA, not in the plan): the change review shows them as new */
  skipped: Type.Array(Type.Object({ name: Type.String(), file: Type.String(), reason: Type.String() })),
  import: ImportView,
});
export type ImportAdopted = Type.Static<typeof ImportAdopted>;
