/** Users, API tokens and the audit log, as the API returns them. */

/** viewer: read only; operator: issue, distribute, leaf keys; admin: everything. */
export type Role = 'admin' | 'operator' | 'viewer';
/** Roles from least to most. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
export const roleAtLeast = (have: Role, need: Role) => ROLES.indexOf(have) >= ROLES.indexOf(need);

export interface User {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

/** A row of GET /tokens: the token itself is never listed. */
export interface ApiToken {
  id: string;
  name: string;
  /** the owner: the token acts as this user, with this user's role */
  username: string;
  createdAt: string;
  revokedAt: string | null;
}

/** POST /tokens answer: the only time the token is shown. */
export interface CreatedToken extends Omit<ApiToken, 'createdAt' | 'revokedAt'> {
  token: string;
  note: string;
}

/** A line of GET /audit (append-only, newest first). */
export interface AuditEntry {
  id: number;
  /** ISO time */
  at: string;
  /** the user, or the username tried at a failed sign-in, or "anonymous" */
  actor: string;
  /** "sign-in", "download-key", "POST /api/v1/clusters/:cluster/issuances", ... */
  action: string;
  /** "cluster=lab name=ca", or the path */
  object: string;
  address: string;
  /** "ok" or "failed (<status>)" */
  result: string;
  /** the request body without secrets, or null */
  details: unknown;
}
