/** The whole database as stable JSON, to prove a refused request changed nothing. */
import type { Db } from '../../src/store/db.ts';

/**
 * Tables a refused request may see change anyway: the audit log (it records each attempt) and the
 * keys kpki prepares ahead of time in the background (issue 10), whenever they finish.
 */
const BACKGROUND = ['audit', 'prepared_keys'];

/**
 * Everything in the database but the BACKGROUND tables (the audit log legitimately records each attempt):
 * schema, user_version, every row of every table in rowid order, BLOBs as hex.
 */
export function dump(db: Db): string {
  const schema = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all() as Array<{ type: string; name: string }>;
  const tables = schema.filter((s) => s.type === 'table' && !BACKGROUND.includes(s.name) && !s.name.startsWith('sqlite_')).map((s) => s.name);
  const data: Record<string, unknown> = { userVersion: db.pragma('user_version', { simple: true }), schema };
  for (const t of tables) {
    data[t] = (db.prepare(`SELECT rowid AS _rowid_, * FROM "${t}" ORDER BY rowid`).all() as Array<Record<string, unknown>>).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? `hex:${v.toString('hex')}` : v])),
    );
  }
  return JSON.stringify(data);
}
