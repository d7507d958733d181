/** Persisted jobs and their log lines. */
import { FINISHED_JOB_STATUSES, type Job, type JobLogLine, type JobStatus, type JobType } from '@kpki/shared';
import type { Db } from './db.ts';

type Raw = {
  id: string; type: JobType; cluster: string; status: JobStatus; params: string; result: string | null; error: string | null;
  done: number; total: number; createdAt: string; startedAt: string | null; finishedAt: string | null;
};
const COLUMNS = `id, type, cluster_name AS cluster, status, params, result, error, progress_done AS done, progress_total AS total,
  created_at AS createdAt, started_at AS startedAt, finished_at AS finishedAt`;

export function jobsRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO jobs (id, cluster_id, cluster_name, type, status, params, created_at)
    VALUES (?, ?, ?, ?, 'queued', ?, ?)`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`);
  const recent = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE (@cluster IS NULL OR cluster_name = @cluster) AND (@type IS NULL OR type = @type)
    AND (@status IS NULL OR status = @status) ORDER BY created_at DESC, rowid DESC LIMIT @limit`);
  const logs = db.prepare('SELECT at, level, node, message FROM job_logs WHERE job_id = ? ORDER BY id');
  const addLog = db.prepare('INSERT INTO job_logs (job_id, at, level, node, message) VALUES (?, ?, ?, ?, ?)');
  const start = db.prepare("UPDATE jobs SET status = 'running', started_at = ? WHERE id = ?");
  const progress = db.prepare('UPDATE jobs SET progress_done = ?, progress_total = ? WHERE id = ?');
  const finish = db.prepare('UPDATE jobs SET status = ?, result = ?, error = ?, finished_at = ? WHERE id = ?');
  // the finished statuses are the shared list's (FINISHED_JOB_STATUSES), bound as parameters
  const ended = db.prepare(`SELECT type, status, count(*) AS n FROM jobs WHERE status IN (${FINISHED_JOB_STATUSES.map(() => '?').join(', ')}) GROUP BY type, status`);
  const interrupt = db.prepare(`UPDATE jobs SET status = 'interrupted', finished_at = ?,
    error = '{"code":"INTERRUPTED","message":"kpki stopped while this job ran; nothing of it was committed: run it again"}'
    WHERE status IN ('queued', 'running')`);

  const hydrate = (r: Raw, withLog: boolean): Job => {
    const params = JSON.parse(r.params) as Record<string, unknown>;
    return {
    id: r.id, type: r.type, cluster: r.cluster, status: r.status,
    progress: { done: r.done, total: r.total },
    params, result: r.result ? JSON.parse(r.result) : null, error: r.error ? JSON.parse(r.error) : null,
    startedBy: typeof params.startedBy === 'string' ? params.startedBy : null,
    createdAt: r.createdAt, startedAt: r.startedAt, finishedAt: r.finishedAt,
    log: withLog
      ? (logs.all(r.id) as Array<JobLogLine & { node: string | null }>).map(({ node, ...l }) => (node ? { ...l, node } : l))
      : [],
    };
  };

  return {
    create(id: string, clusterId: number, clusterName: string, type: JobType, params: object, now: string): void {
      insert.run(id, clusterId, clusterName, type, JSON.stringify(params), now);
    },
    get(id: string): Job | null {
      const r = byId.get(id) as Raw | undefined;
      return r ? hydrate(r, true) : null;
    },
    /** Newest first, narrowed to a cluster, a kind and a status when given. */
    list(cluster: string | null, limit = 50, filter: { type?: string | null; status?: string | null } = {}): Job[] {
      return (recent.all({ cluster, type: filter.type ?? null, status: filter.status ?? null, limit }) as Raw[]).map((r) => hydrate(r, false));
    },
    log(id: string, line: JobLogLine): void {
      addLog.run(id, line.at, line.level, line.node ?? null, line.message);
    },
    start(id: string, now: string): void {
      start.run(now, id);
    },
    progress(id: string, done: number, total: number): void {
      progress.run(done, total, id);
    },
    finish(id: string, status: JobStatus, result: object | null, error: { code: string; message: string } | null, now: string): void {
      finish.run(status, result ? JSON.stringify(result) : null, error ? JSON.stringify(error) : null, now, id);
    },
    /** Jobs that have ended, counted by type and status (only ever grows: a counter). */
    endedCounts(): Array<{ type: JobType; status: JobStatus; n: number }> {
      return ended.all(...FINISHED_JOB_STATUSES) as Array<{ type: JobType; status: JobStatus; n: number }>;
    },
    /** At start-up: a job left queued or running by a crash is marked interrupted. */
    markInterrupted(now: string): number {
      return interrupt.run(now).changes;
    },
  };
}
export type JobsRepository = ReturnType<typeof jobsRepository>;
