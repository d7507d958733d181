/** /sign-in: part of the first chunk (it is the first page of a fresh browser). */
import { getRouteApi, useRouter } from '@tanstack/react-router';
import { SignInPage } from '../../features/session/components/sign-in-page.tsx';
import { safeRedirect } from '../../lib/redirect.ts';

const api = getRouteApi('/sign-in');

export function SignInRoute() {
  const { redirect, reason } = api.useSearch();
  const router = useRouter();
  return <SignInPage reason={reason} onSignedIn={() => router.history.replace(safeRedirect(redirect))} />;
}
