/**
 * SSH connections kept open for a short while after use, so that jobs that follow each other
 * (an apply after a distribution, a verify after a renewal) do not pay the TCP connect, the
 * key exchange, the authentication and the SFTP channel again for each node.
 *
 * A connection is reused only for the same target: host, port, user, pinned host key and deploy
 * key (the key a session was opened with is part of the pool key, so re-pinning a node or
 * changing the deploy key opens a new connection). It was opened by {@link connect}, which
 * checked the pinned host key before authenticating. One job uses it at a time (taken out of the
 * pool while in use); one idle connection per target is kept, for `idleMs` (0: never kept);
 * a connection that was lost meanwhile (closed by the node, keepalives unanswered) is never
 * handed out. A session is given back only after work that succeeded; after any failure it is
 * closed.
 */
import { createHash } from 'node:crypto';
import type { SshSession } from './session.ts';

interface Idle {
  session: SshSession;
  timer: NodeJS.Timeout;
}

export class SshPool {
  private readonly idle = new Map<string, Idle>();
  private readonly keys = new WeakMap<SshSession, string>();
  private stopped = false;

  constructor(private readonly idleMs: number) {}

  /** The pool key of a target: the deploy key enters as a hash. */
  static keyOf(t: { host: string; port: number; user: string; hostKey: string; privateKey: string }): string {
    return JSON.stringify([t.host, t.port, t.user, t.hostKey, createHash('sha256').update(t.privateKey).digest('hex')]);
  }

  /**
   * An idle open session for `key` (taken out of the pool; `reused: true`), else a new one from
   * `open`. Either way, give it back with {@link release} or close it.
   */
  async acquire(key: string, open: () => Promise<SshSession>): Promise<{ session: SshSession; reused: boolean }> {
    const kept = this.idle.get(key);
    if (kept) {
      this.idle.delete(key);
      clearTimeout(kept.timer);
      if (kept.session.usable) {
        this.keys.set(kept.session, key);
        return { session: kept.session, reused: true };
      }
      void kept.session.close();
    }
    const session = await open();
    this.keys.set(session, key);
    return { session, reused: false };
  }

  /**
   * Gives a session back after work that succeeded: kept for `idleMs` when it is still up and
   * no other connection to its target is kept, closed otherwise.
   */
  release(session: SshSession): void {
    const key = this.keys.get(session);
    if (this.stopped || this.idleMs <= 0 || key === undefined || !session.usable || this.idle.has(key)) {
      void session.close();
      return;
    }
    const timer = setTimeout(() => {
      if (this.idle.get(key)?.session === session) this.idle.delete(key);
      void session.close();
    }, this.idleMs);
    timer.unref();
    this.idle.set(key, { session, timer });
  }

  /** Closes every idle connection (sessions in use are closed by their users). */
  async closeIdle(): Promise<void> {
    const all = [...this.idle.values()];
    this.idle.clear();
    for (const i of all) clearTimeout(i.timer);
    await Promise.all(all.map((i) => i.session.close()));
  }

  /** Closes every idle connection and keeps none from now on (the app is closing). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.closeIdle();
  }

  /** How many idle connections are kept (for tests and the bench). */
  get size(): number {
    return this.idle.size;
  }
}
