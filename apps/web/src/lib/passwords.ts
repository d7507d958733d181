/** The password rule of the server (apps/server auth/passwords.ts): at least 12 characters. Pure. */
export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 1024;

/** What is wrong with a new password, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD) return `At least ${MIN_PASSWORD} characters (${password.length} so far).`;
  if (password.length > MAX_PASSWORD) return `At most ${MAX_PASSWORD} characters.`;
  return null;
}
