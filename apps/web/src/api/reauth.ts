/**
 * POST /session/reauth {password} -> {elevatedUntil}: for the next 5 minutes this browser session
 * may download the CA key (ca-key.pem, the whole bundle, control-plane node bundles). Shared: the
 * certificates and nodes features both offer such downloads. The end of the window is remembered
 * so several downloads in a row ask once.
 */
import { useMutation } from '@tanstack/react-query';
import { apiFetch } from './client.ts';

export interface Reauth {
  elevatedUntil: string;
}

/** Ask again this long before the server's window closes (a download must start inside it). */
const MARGIN_MS = 15_000;
let elevatedUntil = 0;

export const reauth = (password: string) => apiFetch<Reauth>('/session/reauth', { method: 'POST', body: { password } });

export function rememberElevation(until: string): void {
  const t = new Date(until).getTime();
  elevatedUntil = Number.isNaN(t) ? 0 : t;
}

export function forgetElevation(): void {
  elevatedUntil = 0;
}

/** True while a CA key download needs no password (the last re-entry is recent enough). */
export function isElevated(now: number = Date.now()): boolean {
  return elevatedUntil - MARGIN_MS > now;
}

export function useReauth() {
  return useMutation({
    mutationFn: reauth,
    onSuccess: ({ elevatedUntil: until }) => rememberElevation(until),
  });
}
