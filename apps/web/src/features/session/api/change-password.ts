/**
 * PUT /users/me/password {currentPassword, newPassword}: everyone's own password (204). The server
 * then closes every session of the user, this one included: the app counts as signed out.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { forgetElevation } from '../../../api/reauth.ts';
import { resetCsrfToken } from '../../../api/session.ts';
import { SIGNED_OUT } from './get-session.ts';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

export const changePassword = (body: PasswordChange) => apiFetch<void>('/users/me/password', { method: 'PUT', body });

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      qc.setQueryData(queryKeys.session(), SIGNED_OUT);
      resetCsrfToken();
      forgetElevation();
    },
  });
}
