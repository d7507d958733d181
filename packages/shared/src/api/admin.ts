/** Administration answers. */
import Type from 'typebox';

/** POST /backups */
export const BackupCreated = Type.Object({
  /** absolute path of the copy, under <data>/backups/ */
  file: Type.String({ description: 'absolute path of the copy, under <data>/backups/' }),
  note: Type.String(),
});
export type BackupCreated = Type.Static<typeof BackupCreated>;
