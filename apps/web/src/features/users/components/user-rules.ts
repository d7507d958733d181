/** The server's rules for users (usernameProblem, passwordProblem of @kpki/shared), to check a form before sending. Pure. */
import { passwordProblem, usernameProblem } from '@kpki/shared';
import { asSentence } from '../../../lib/problems.ts';
import type { Role } from '../../../lib/permissions.ts';

export interface NewUserValues {
  username: string;
  password: string;
  role: Role;
}

/** Field -> message, empty when the user can be created. */
export function newUserProblems(values: NewUserValues, existing: readonly string[] = []): Partial<Record<keyof NewUserValues, string>> {
  const out: Partial<Record<keyof NewUserValues, string>> = {};
  const name = asSentence(usernameProblem(values.username)) ?? (existing.includes(values.username) ? `"${values.username}" exists: choose another name.` : null);
  if (name) out.username = name;
  const password = asSentence(passwordProblem(values.password));
  if (password) out.password = password;
  return out;
}

/**
 * An admin can neither disable themself nor drop their own admin role (the server answers 403):
 * the controls of one's own row are not offered.
 */
export const isSelf = (me: { id?: number; username: string } | null | undefined, user: { id: number; username: string }) =>
  !!me && (me.id !== undefined ? me.id === user.id : me.username === user.username);
