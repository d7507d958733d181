/**
 * What kpki does by itself on a timer (and once at start-up): purge deleted clusters past their
 * retention, archive audit lines past theirs, discard imports not adopted in time. Errors are logged, never thrown: the next run tries again.
 */
import type { Deps } from '../context.ts';
import { purgeExpiredClusters } from './cluster-retention.service.ts';
import { archiveExpiredAudit } from './audit-archive.service.ts';
import { discardExpiredImports } from './imports.service.ts';

/** One run; returns what it did, for the log. */
export function runMaintenance(deps: Deps): { purgedClusters: string[]; auditArchive: string | null; discardedImports: string[] } {
  return { purgedClusters: purgeExpiredClusters(deps), auditArchive: archiveExpiredAudit(deps)?.file ?? null, discardedImports: discardExpiredImports(deps) };
}

/** Runs maintenance now and every `intervalMs` (the timer does not keep the process alive); returns the stop function. */
export function startMaintenance(deps: Deps, log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void }, intervalMs = 3600_000): () => void {
  const run = () => {
    try {
      const done = runMaintenance(deps);
      if (done.purgedClusters.length || done.auditArchive || done.discardedImports.length) log.info(done, 'maintenance');
    } catch (err) {
      log.error({ err }, 'maintenance failed');
    }
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
