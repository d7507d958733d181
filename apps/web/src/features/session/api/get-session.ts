/** GET /session: who is signed in (401 when nobody; 404 on a server without sign-in). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiUrl } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { setCsrfToken } from '../../../api/session.ts';

export interface SessionInfo {
  user: { username: string; role: string } | null;
  csrfToken: string | null;
}

/** Not through apiFetch: a 401 here means "signed out", not an error to flag. */
export async function getSession(): Promise<SessionInfo> {
  const res = await fetch(apiUrl('/session'), { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401 || res.status === 404) return { user: null, csrfToken: null };
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, 'Could not read the session.');
  const body = (await res.json()) as SessionInfo;
  if (body.csrfToken) setCsrfToken(body.csrfToken);
  return body;
}

export const sessionQueryOptions = () => queryOptions({ queryKey: queryKeys.session(), queryFn: getSession, staleTime: 60_000, retry: false });

export const useSession = () => useQuery(sessionQueryOptions());
