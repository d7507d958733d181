/** Users, API tokens and the audit log, as the API returns them. */

import Type from 'typebox';

/** viewer: read only; operator: issue, distribute, leaf keys; admin: everything. The one list of roles. */
export const RoleName = Type.Union([Type.Literal('admin'), Type.Literal('operator'), Type.Literal('viewer')]);
export type Role = Type.Static<typeof RoleName>;
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
  /** the owner, always its creator: the token acts as this user, with this user's role */
  username: string;
  createdAt: string;
  /** the token stops working then (the lifetime chosen at creation, default 90 days) */
  expiresAt: string;
  revokedAt: string | null;
  /** "revoked by <user>", "the password changed", "the user was disabled" */
  revokedReason: string | null;
}

/** Lifetime of a new API token when none is chosen, and the longest one. */
export const TOKEN_LIFETIME_DAYS = { default: 90, max: 365 } as const;

/** POST /tokens answer: the only time the token is shown. */
export interface CreatedToken extends Omit<ApiToken, 'createdAt' | 'revokedAt' | 'revokedReason'> {
  token: string;
  note: string;
}

/** The filters of GET /audit and its export (query fields): each narrows, all must match. */
export const AuditFilterFields = {
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'exact user name' })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'exact action (download-bundle, POST /api/v1/clusters/:cluster/distributions, ...)' })),
  cluster: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'lines about this cluster' })),
  node: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'lines about this node: a bundle, a key sent, a distribution to it' })),
  since: Type.Optional(Type.String({ minLength: 10, maxLength: 40, description: 'ISO time (or date): at or after' })),
  until: Type.Optional(Type.String({ minLength: 10, maxLength: 40, description: 'ISO time (or date): before' })),
};
export const AuditFilterSchema = Type.Object(AuditFilterFields);
export type AuditFilter = Type.Static<typeof AuditFilterSchema>;

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
  /** the API token the request came with (its user is `actor`), or null for a browser session */
  token: { id: string; name: string } | null;
}

/** GET /session: who is asking, through a cookie session or an API token. */
export interface SessionInfo {
  user: User;
  /** the CSRF token to send as x-csrf-token on writes; null for API tokens */
  csrfToken: string | null;
  via: 'session' | 'token';
  /** until when this session may download the CA key (password re-entered), or null */
  elevatedUntil: string | null;
}

/** POST /session: the new session (its cookie is set on the answer). */
export type SignedIn = Pick<SessionInfo, 'user' | 'csrfToken' | 'via'>;

/** POST /session/reauth */
export interface Elevation {
  elevatedUntil: string;
}

/** The least password length (the server refuses shorter ones, the web says so before sending). */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest password accepted. */
export const MAX_PASSWORD_LENGTH = 1024;
/** Usernames: 1-64 letters, digits, ".", "_" or "-". */
export const USERNAME_PATTERN = '^[a-zA-Z0-9._-]+$';
export const MAX_USERNAME_LENGTH = 64;

/** A username as the API validates it (POST /users). */
export const UsernameField = Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH, pattern: USERNAME_PATTERN });
/** A password field as the API accepts it (the length rule is passwordProblem's, checked with a message that says why). */
export const PasswordField = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH });

/** What is wrong with a new password, or null when the server will accept it. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters (${password.length} given)`;
  if (password.length > MAX_PASSWORD_LENGTH) return `at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

/** What is wrong with a username, or null when the server will accept it. */
export function usernameProblem(username: string): string | null {
  if (!username) return 'required';
  if (username.length > MAX_USERNAME_LENGTH) return `at most ${MAX_USERNAME_LENGTH} characters`;
  if (!new RegExp(USERNAME_PATTERN).test(username)) return 'letters, digits, ".", "_" and "-" only';
  return null;
}

/**
 * GET /audit/archives: audit lines moved out of the log into a file (admin, or kpki after
 * KPKI_AUDIT_RETENTION_DAYS). Each record names the rows it removed, the file's SHA-256 and the
 * record before it (the chain of what was removed).
 */
export interface AuditArchive {
  id: number;
  firstId: number;
  lastId: number;
  firstAt: string;
  lastAt: string;
  rows: number;
  /** file name under <data>/audit-archives/ */
  file: string;
  sha256: string;
  /** recordSha256 of the archive before, null for the first */
  previousSha256: string | null;
  recordSha256: string;
  createdAt: string;
  createdBy: string;
  /** the file is there and its SHA-256 and the chain still match (checked when listed) */
  intact: boolean;
}
