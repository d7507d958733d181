/** The shapes of /users and /tokens (apps/server auth/users.repository.ts). */
import type { Role } from '../../../lib/permissions.ts';

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
export interface CreatedToken {
  id: string;
  name: string;
  username: string;
  token: string;
  note: string;
}
