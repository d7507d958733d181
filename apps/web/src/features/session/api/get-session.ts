/** GET /session: who is signed in (401 when nobody; 404 on a server without sign-in). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiUrl } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { setCsrfToken } from '../../../api/session.ts';

export interface SessionUser {
  id: number;
  username: string;
  role: string;
  disabled?: boolean;
  createdAt?: string;
}

/** The answer of GET/POST /session. */
export interface SessionInfo {
  user: SessionUser | null;
  csrfToken: string | null;
  /** "session" (cookie) or "token" (Authorization: Bearer) */
  via?: string;
}

/** What the app knows: the answer, and whether the server has sign-in at all (404: it does not). */
export interface SessionState extends SessionInfo {
  signInEnabled: boolean;
}

export const SIGNED_OUT: SessionState = { user: null, csrfToken: null, signInEnabled: true };

/** Not through apiFetch: a 401 here means "signed out", not an error to flag. */
export async function getSession(): Promise<SessionState> {
  const res = await fetch(apiUrl('/session'), { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401) return SIGNED_OUT;
  if (res.status === 404) return { user: null, csrfToken: null, signInEnabled: false };
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, 'Could not read the session.');
  const body = (await res.json()) as SessionInfo;
  if (body.csrfToken) setCsrfToken(body.csrfToken);
  return { ...body, signInEnabled: true };
}

export const sessionQueryOptions = () => queryOptions({ queryKey: queryKeys.session(), queryFn: getSession, staleTime: 60_000, retry: false });

export const useSession = () => useQuery(sessionQueryOptions());
