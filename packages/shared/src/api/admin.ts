/** Administration answers. */

/** POST /backups */
export interface BackupCreated {
  /** absolute path of the copy, under <data>/backups/ */
  file: string;
  note: string;
}
