/**
 * Requests nobody signed in for (issue 8, item 4): rate limited per address and as a whole, and
 * their rejections written to the audit log as one aggregated line per address and minute (at
 * most MAX_ADDRESS_LINES addresses a minute, the rest in one more line) instead of one line each.
 * Failed sign-ins are not counted here: they keep their own line (with the name tried).
 */
import type { NewAuditEntry } from '../store/audit.repository.ts';

export interface AnonymousLimits {
  /** requests one address may send a minute without signing in */
  perAddress: number;
  /** requests all addresses together may send a minute without signing in */
  total: number;
}

export const DEFAULT_ANONYMOUS_LIMITS: AnonymousLimits = { perAddress: 120, total: 1200 };
/** addresses with a line of their own per minute; the others share one */
export const MAX_ADDRESS_LINES = 20;
const MINUTE = 60_000;
const SAMPLE_ROUTES = 5;

interface Tally {
  count: number;
  statuses: Record<string, number>;
  routes: Record<string, number>;
}

export class AnonymousRequests {
  private minute = -1;
  private admitted = new Map<string, number>();
  private total = 0;
  private rejected = new Map<string, Tally>();

  constructor(
    private readonly write: (e: NewAuditEntry) => void,
    private readonly now: () => Date,
    private readonly limits: AnonymousLimits = DEFAULT_ANONYMOUS_LIMITS,
  ) {}

  /** Counts a request without a signed-in user; false when its address or everyone is over the limit. */
  admit(address: string): boolean {
    this.roll();
    const n = (this.admitted.get(address) ?? 0) + 1;
    this.admitted.set(address, n);
    this.total++;
    return n <= this.limits.perAddress && this.total <= this.limits.total;
  }

  /** Counts a rejected request without a signed-in user, for the aggregated audit line of its address and minute. */
  reject(address: string, route: string, status: number): void {
    this.roll();
    const t = this.rejected.get(address) ?? { count: 0, statuses: {}, routes: {} };
    t.count++;
    t.statuses[status] = (t.statuses[status] ?? 0) + 1;
    if (t.routes[route] !== undefined || Object.keys(t.routes).length < SAMPLE_ROUTES) t.routes[route] = (t.routes[route] ?? 0) + 1;
    this.rejected.set(address, t);
  }

  /** Writes the lines of the minute that ended (all of them with `force`, e.g. at close). */
  flush(force = false): void {
    if (force) this.writeLines();
    else this.roll();
  }

  private roll(): void {
    const minute = Math.floor(this.now().getTime() / MINUTE);
    if (minute === this.minute) return;
    this.writeLines();
    this.minute = minute;
    this.admitted.clear();
    this.total = 0;
  }

  private writeLines(): void {
    if (!this.rejected.size) return;
    const from = new Date(Math.max(this.minute, 0) * MINUTE).toISOString();
    const entries = [...this.rejected.entries()].sort((a, b) => b[1].count - a[1].count);
    this.rejected = new Map();
    const line = (address: string, t: Tally, extra: object = {}): NewAuditEntry => ({
      at: from, actor: 'anonymous', action: 'rejected-anonymous-requests', object: `${t.count} request(s) in the minute from ${from}`,
      address, result: `failed (${Object.keys(t.statuses).join(', ')})`,
      details: { count: t.count, statuses: t.statuses, routes: t.routes, ...extra },
    });
    for (const [address, t] of entries.slice(0, MAX_ADDRESS_LINES)) this.write(line(address, t));
    const rest = entries.slice(MAX_ADDRESS_LINES);
    if (rest.length) {
      const sum: Tally = { count: 0, statuses: {}, routes: {} };
      for (const [, t] of rest) {
        sum.count += t.count;
        for (const [s, n] of Object.entries(t.statuses)) sum.statuses[s] = (sum.statuses[s] ?? 0) + n;
      }
      this.write(line(`${rest.length} other addresses`, sum, { addresses: rest.slice(0, 50).map(([a]) => a) }));
    }
  }
}
