/** Where the sign-in page may send the user back to: a path of this app only (no open redirect). Pure. */
export function safeRedirect(target: unknown): string {
  if (typeof target !== 'string' || !target.startsWith('/')) return '/';
  if (target.startsWith('//') || target.startsWith('/\\') || /[\r\n]/.test(target)) return '/';
  if (target === '/sign-in' || target.startsWith('/sign-in?') || target.startsWith('/sign-in#')) return '/';
  return target;
}
