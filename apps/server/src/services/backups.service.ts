/** Online backups of the database (POST /backups). */
import type { BackupCreated } from '@kpki/shared';
import type { Deps } from '../context.ts';

/** Writes a consistent copy of the database under <data>/backups/ and says what to keep with it. */
export async function createBackup(deps: Deps): Promise<BackupCreated> {
  const file = await deps.backup(deps.now());
  return { file, note: 'keep the master key with this backup: without it no private key can be read' };
}
