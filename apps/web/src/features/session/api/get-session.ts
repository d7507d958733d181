/** GET /session: who is signed in (the server answers 401 when nobody is). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SessionInfo } from '@kpki/shared';
import { ApiError, apiUrl } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { setCsrfToken } from '../../../api/session.ts';

/** What the app knows of the session: the answer of GET /session, or null when nobody is signed in. */
export type SessionState = SessionInfo | null;

export const SIGNED_OUT: SessionState = null;

/** Not through apiFetch: a 401 here means "signed out", not an error to flag. */
export async function getSession(): Promise<SessionState> {
  const res = await fetch(apiUrl('/session'), { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401) return SIGNED_OUT;
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, 'Could not read the session.');
  const body = (await res.json()) as SessionInfo;
  if (body.csrfToken) setCsrfToken(body.csrfToken);
  return body;
}

export const sessionQueryOptions = () => queryOptions({ queryKey: queryKeys.session(), queryFn: getSession, staleTime: 60_000, retry: false });

export const useSession = () => useQuery(sessionQueryOptions());
