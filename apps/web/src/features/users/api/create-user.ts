/** POST /users {username, password, role} (admin) -> 201 the user. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import type { Role } from '../../../lib/permissions.ts';
import type { User } from './types.ts';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
}

export const createUser = (body: NewUser) => apiFetch<User>('/users', { method: 'POST', body });

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createUser, onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.users() }) });
}
