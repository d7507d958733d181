/** The shapes of /users and /tokens live in the shared contract. */
export type { ApiToken, CreatedToken, User } from '@kpki/shared';
