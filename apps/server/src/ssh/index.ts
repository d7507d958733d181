/**
 * SSH/SFTP transport of kpki: deploy keys, host key scan and pinning, verified sessions with
 * atomic writes and read-back hashes. No HTTP, no database: the distribution service builds on this.
 */
export * from './errors.ts';
export * from './keys.ts';
export * from './transport.ts';
export { resolveRemoteDir } from './paths.ts';
