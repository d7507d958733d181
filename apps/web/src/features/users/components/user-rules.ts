/** The server's rules for users (apps/server users.routes.ts), to check a form before sending. Pure. */
import { passwordProblem } from '../../../lib/passwords.ts';
import type { Role } from '../../../lib/permissions.ts';

export const USERNAME_PATTERN = /^[a-zA-Z0-9._-]+$/;

export interface NewUserValues {
  username: string;
  password: string;
  role: Role;
}

export function usernameProblem(username: string): string | null {
  if (!username) return 'Required';
  if (username.length > 64) return 'At most 64 characters.';
  if (!USERNAME_PATTERN.test(username)) return 'Letters, digits, ".", "_" and "-" only.';
  return null;
}

/** Field -> message, empty when the user can be created. */
export function newUserProblems(values: NewUserValues, existing: readonly string[] = []): Partial<Record<keyof NewUserValues, string>> {
  const out: Partial<Record<keyof NewUserValues, string>> = {};
  const name = usernameProblem(values.username) ?? (existing.includes(values.username) ? `"${values.username}" exists: choose another name.` : null);
  if (name) out.username = name;
  const password = passwordProblem(values.password);
  if (password) out.password = password;
  return out;
}

/**
 * An admin can neither disable themself nor drop their own admin role (the server answers 403):
 * the controls of one's own row are not offered.
 */
export const isSelf = (me: { id?: number; username: string } | null | undefined, user: { id: number; username: string }) =>
  !!me && (me.id !== undefined ? me.id === user.id : me.username === user.username);
