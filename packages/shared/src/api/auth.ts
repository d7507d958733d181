/** Users, API tokens and the audit log, as the API returns them. */

import Type from 'typebox';

/** viewer: read only; operator: issue, distribute, leaf keys; admin: everything. The one list of roles. */
export const RoleName = Type.Union([Type.Literal('admin'), Type.Literal('operator'), Type.Literal('viewer')]);
export type Role = Type.Static<typeof RoleName>;
/** Roles from least to most (ROLES), roleAtLeast; the audit outcomes in order (AUDIT_OUTCOMES), the refusals (AUDIT_DENIED_STATUSES): in lists.ts, without TypeBox. */
export { AUDIT_DENIED_STATUSES, AUDIT_OUTCOMES, ROLES, roleAtLeast } from '../lists.ts';

export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleName,
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});
export type User = Type.Static<typeof User>;

/** A row of GET /tokens: the token itself is never listed. */
const ApiTokenFields = {
  id: Type.String(),
  name: Type.String(),
  /** the owner, always its creator: the token acts as this user, with this user's role */
  username: Type.String({ description: "the owner, always its creator: the token acts as this user, with this user's role" }),
  createdAt: Type.String(),
  /** the token stops working then (the lifetime chosen at creation, default 90 days) */
  expiresAt: Type.String({ description: 'the token stops working then (the lifetime chosen at creation, default 90 days)' }),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  /** "revoked by <user>", "the password changed", "the user was disabled" */
  revokedReason: Type.Union([Type.String(), Type.Null()], { description: '"revoked by <user>", "the password changed", "the user was disabled"' }),
};
export const ApiToken = Type.Object(ApiTokenFields);
export type ApiToken = Type.Static<typeof ApiToken>;

/** Lifetime of a new API token when none is chosen, and the longest one. */
export const TOKEN_LIFETIME_DAYS = { default: 90, max: 365 } as const;

/** POST /tokens answer: the only time the token is shown. */
export const CreatedToken = Type.Object({
  id: ApiTokenFields.id,
  name: ApiTokenFields.name,
  username: ApiTokenFields.username,
  expiresAt: ApiTokenFields.expiresAt,
  /** the secret, shown only here: send it as Authorization: Bearer <token> */
  token: Type.String({ description: 'the secret, shown only here: send it as Authorization: Bearer <token>' }),
  note: Type.String(),
});
export type CreatedToken = Type.Static<typeof CreatedToken>;

/**
 * What an audit line's result comes to: `ok`; `denied` when every status it names is a refusal
 * (401, 403, 429: "failed (401)", "failed (401, 429)"); `failed` otherwise ("failed (409)").
 * auditOutcome() in audit-words.ts and the store's SQL say the same.
 */
export const AuditOutcomeName = Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('failed')]);
export type AuditOutcome = Type.Static<typeof AuditOutcomeName>;

/** The filters of GET /audit, its counts and its export (query fields): each narrows, all must match. */
export const AuditFilterFields = {
  q: Type.Optional(Type.String({
    minLength: 1, maxLength: 200,
    description: 'words (split at spaces), each must appear, case-insensitively for ASCII, in the actor, action, object (cluster, node, path), address, result, token name or details; % and _ are plain characters',
  })),
  result: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('failed')], { description: 'ok; denied (401, 403, 429); failed (any other status)' })),
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
export const AuditEntry = Type.Object({
  id: Type.Integer(),
  /** ISO time */
  at: Type.String(),
  /** the user, or the username tried at a failed sign-in, or "anonymous" */
  actor: Type.String({ description: 'the user, or the username tried at a failed sign-in, or "anonymous"' }),
  /** "sign-in", "download-key", "POST /api/v1/clusters/:cluster/issuances", ... */
  action: Type.String({ description: '"sign-in", "download-key", "POST /api/v1/clusters/:cluster/issuances", ...' }),
  /** "cluster=lab name=ca", or the path */
  object: Type.String(),
  address: Type.String(),
  /** "ok" or "failed (<status>)" */
  result: Type.String({ description: '"ok" or "failed (<status>)"' }),
  /** the request body without secrets, or null */
  details: Type.Unknown({ description: 'the request body without secrets and the facts of the route, or null' }),
  /** the API token the request came with (its user is `actor`), or null for a browser session */
  token: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], { description: 'the API token the request came with, null for a browser session' }),
});
export type AuditEntry = Type.Static<typeof AuditEntry>;

/** GET /audit/export?format=json: the filter and the lines kept, each with its sentence, nodes and CA key flag. */
export const AuditExport = Type.Object({
  filter: Type.Record(Type.String(), Type.Unknown()),
  items: Type.Array(Type.Object({
    ...AuditEntry.properties,
    /** the line in words (auditSentence) */
    what: Type.String({ description: 'the line in words' }),
    nodes: Type.Array(Type.String()),
    caKey: Type.Boolean(),
  })),
});
export type AuditExport = Type.Static<typeof AuditExport>;

/** GET /audit/counts: the lines the filters and the search keep, by outcome (the result filter left aside, so each count can be chosen). */
export const AuditCounts = Type.Object({
  /** every line kept (ok + denied + failed) */
  total: Type.Integer({ description: 'every line kept: ok + denied + failed' }),
  byResult: Type.Object({ ok: Type.Integer(), denied: Type.Integer(), failed: Type.Integer() }),
});
export type AuditCounts = Type.Static<typeof AuditCounts>;

/** GET /audit/facets: the actions and actors in the log, for filters. */
export const AuditFacets = Type.Object({ actions: Type.Array(Type.String()), actors: Type.Array(Type.String()) });
export type AuditFacets = Type.Static<typeof AuditFacets>;

/** GET /session: who is asking, through a cookie session or an API token. */
export const SessionInfo = Type.Object({
  user: User,
  /** the CSRF token to send as x-csrf-token on writes; null for API tokens */
  csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'the CSRF token to send as x-csrf-token on writes; null for API tokens' }),
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  /** until when this session may download the CA key (password re-entered), or null */
  elevatedUntil: Type.Union([Type.String(), Type.Null()], { description: 'until when this session may move the CA key (password re-entered), or null' }),
});
export type SessionInfo = Type.Static<typeof SessionInfo>;

/** POST /session: the new session (its cookie is set on the answer). */
export const SignedIn = Type.Object({ user: User, csrfToken: SessionInfo.properties.csrfToken, via: SessionInfo.properties.via });
export type SignedIn = Type.Static<typeof SignedIn>;

/** POST /session/reauth */
export const Elevation = Type.Object({ elevatedUntil: Type.String() });
export type Elevation = Type.Static<typeof Elevation>;

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
 * record before it (the chain of what was removed). POST /audit/archives answers the record.
 */
export const AuditArchiveRecord = Type.Object({
  id: Type.Integer(),
  firstId: Type.Integer(),
  lastId: Type.Integer(),
  firstAt: Type.String(),
  lastAt: Type.String(),
  rows: Type.Integer(),
  /** file name under <data>/audit-archives/ */
  file: Type.String({ description: 'file name under <data>/audit-archives/' }),
  sha256: Type.String(),
  /** recordSha256 of the archive before, null for the first */
  previousSha256: Type.Union([Type.String(), Type.Null()]),
  recordSha256: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.String(),
});
export type AuditArchiveRecord = Type.Static<typeof AuditArchiveRecord>;

/** A row of GET /audit/archives: the record and whether it is intact. */
export const AuditArchive = Type.Object({
  ...AuditArchiveRecord.properties,
  /** the file is there and its SHA-256 and the chain still match (checked when listed) */
  intact: Type.Boolean({ description: 'the file is there and its SHA-256 and the chain still match (checked when listed)' }),
});
export type AuditArchive = Type.Static<typeof AuditArchive>;
