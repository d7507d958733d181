/** PATCH /users/{id} {role?, disabled?} (admin) -> the user. Disabling ends the user's sessions. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import type { Role } from '../../../lib/permissions.ts';
import type { User } from './types.ts';

export interface UserChange {
  role?: Role;
  disabled?: boolean;
}

export const updateUser = (id: number, change: UserChange) => apiFetch<User>(`/users/${id}`, { method: 'PATCH', body: change });

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: UserChange }) => updateUser(id, change),
    onSuccess: (user) => {
      qc.setQueryData<User[]>(queryKeys.users(), (list) => list?.map((u) => (u.id === user.id ? user : u)));
      return qc.invalidateQueries({ queryKey: queryKeys.users() });
    },
  });
}
