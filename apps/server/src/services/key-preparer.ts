/**
 * Keys ahead of time (issue 10): key generation is nearly the whole cost of issuing and depends
 * on neither the CA nor the subject, so kpki generates the keys a cluster will need before it
 * is asked to issue. Generation runs in worker threads that lower their own scheduling priority
 * to nice 19 (Linux applies setpriority to the calling thread only), a bounded number at a
 * time, and never on the event loop or libuv's pool that requests use. Each key is sealed under
 * the master key as soon as it arrives, handed out at most once (taking deletes it), and
 * discarded when not used within its time to live.
 */
import { Worker } from 'node:worker_threads';
import type { KeyAlgorithm } from '@kpki/shared';
import type { PreparedKeysRepository } from '../store/prepared-keys.repository.ts';
import { keyPairFromPem } from '../pki/index.ts';

/** How many keys of which algorithm a cluster will need soon. */
export interface KeyTarget {
  algorithm: KeyAlgorithm;
  count: number;
}

export interface KeyPreparerOptions {
  enabled: boolean;
  /** keys generated at once (one worker thread each) */
  concurrency: number;
  /** a prepared key not taken within this time is discarded */
  ttlMs: number;
  /** at most this many prepared keys per cluster */
  maxPerCluster: number;
  now: () => Date;
  repo: PreparedKeysRepository;
  /** the keys a cluster will need (null: the cluster is gone) */
  need: (clusterId: number) => Promise<KeyTarget | null>;
  /** every cluster id, for the periodic look */
  clusterIds: () => number[];
  /** how often expired keys are swept and every cluster's need is looked at again */
  intervalMs?: number;
  log?: (message: string) => void;
}

/** Runs in each worker thread (plain CommonJS: no loader needed). */
const WORKER = `
const { parentPort } = require('node:worker_threads');
const os = require('node:os');
const crypto = require('node:crypto');
try { os.setPriority(19); } catch {}
const SPECS = {
  'rsa-2048': ['rsa', { modulusLength: 2048 }], 'rsa-3072': ['rsa', { modulusLength: 3072 }], 'rsa-4096': ['rsa', { modulusLength: 4096 }],
  'ecdsa-p256': ['ec', { namedCurve: 'P-256' }], 'ecdsa-p384': ['ec', { namedCurve: 'P-384' }],
};
parentPort.on('message', (algorithm) => {
  try {
    const [type, params] = SPECS[algorithm];
    const { privateKey } = crypto.generateKeyPairSync(type, { ...params, ...(type === 'rsa' ? { publicExponent: 65537 } : {}),
      privateKeyEncoding: { type: type === 'rsa' ? 'pkcs1' : 'sec1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
    parentPort.postMessage({ ok: true, pem: privateKey });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: String(err && err.message) });
  }
});
`;

export class KeyPreparer {
  private readonly targets = new Map<number, KeyTarget>();
  private readonly inFlight = new Map<number, number>();
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private busy = 0;
  private refreshing = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  /** keys generated, stored, discarded (not needed any more), handed out: for tests and the bench */
  readonly stats = { generated: 0, stored: 0, discarded: 0, taken: 0 };
  private waiters: Array<() => void> = [];

  constructor(private readonly opts: KeyPreparerOptions) {}

  /** Starts the periodic sweep and look at every cluster (unref'd: never keeps the process up). */
  start(): void {
    if (!this.opts.enabled || this.timer) return;
    void this.look();
    this.timer = setInterval(() => void this.look(), this.opts.intervalMs ?? 10 * 60_000);
    this.timer.unref();
  }

  /** What the timer does: discards expired keys, then looks at what every cluster will need (renewals coming due). */
  async look(): Promise<void> {
    if (!this.opts.enabled || this.stopped) return;
    this.opts.repo.sweep(this.opts.now());
    await Promise.all(this.opts.clusterIds().map((id) => this.refresh(id)));
  }

  /** Looks again at what the cluster will need (after it was created, changed, issued...) and fills up. */
  async refresh(clusterId: number): Promise<void> {
    if (!this.opts.enabled || this.stopped) return;
    this.refreshing++;
    try {
      const target = await this.opts.need(clusterId);
      if (!target || target.count <= 0) {
        // nothing needed: keys made while an issuance was taking them are surplus, not kept for later
        this.targets.delete(clusterId);
        this.opts.repo.dropCluster(clusterId);
      } else {
        this.opts.repo.dropOtherAlgorithms(clusterId, target.algorithm);
        this.targets.set(clusterId, { ...target, count: Math.min(target.count, this.opts.maxPerCluster) });
      }
    } catch (err) {
      this.opts.log?.(`cannot tell which keys cluster ${clusterId} needs: ${(err as Error).message}`);
      this.targets.delete(clusterId);
    } finally {
      this.refreshing--;
    }
    this.pump();
  }

  /** Drops the cluster's prepared keys and stops preparing for it (the cluster was deleted). */
  forget(clusterId: number): void {
    this.targets.delete(clusterId);
    this.opts.repo.dropCluster(clusterId);
  }

  /** A prepared key of that cluster and algorithm as a key pair (taken: nobody else gets it), or null. */
  async take(clusterId: number, algorithm: KeyAlgorithm): Promise<CryptoKeyPair | null> {
    if (!this.opts.enabled) return null;
    const pem = this.opts.repo.take(clusterId, algorithm, this.opts.now());
    if (!pem) return null;
    this.stats.taken++;
    return keyPairFromPem(pem, algorithm);
  }

  /** Resolves when no need is being worked out, no key is being generated and no cluster lacks one (tests, the bench). */
  settled(): Promise<void> {
    return this.idleNow() ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  private idleNow(): boolean {
    return this.stopped || (this.refreshing === 0 && this.busy === 0 && this.nextCluster() === undefined);
  }

  /** Stops generating; workers are terminated (a key in the middle of generation is dropped). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.all].map((w) => w.terminate()));
    this.all.clear();
    this.idle.length = 0;
    for (const w of this.waiters.splice(0)) w();
  }

  private deficit(clusterId: number): number {
    const t = this.targets.get(clusterId);
    if (!t) return 0;
    return t.count - this.opts.repo.count(clusterId, t.algorithm, this.opts.now()) - (this.inFlight.get(clusterId) ?? 0);
  }

  private nextCluster(): number | undefined {
    for (const id of this.targets.keys()) if (this.deficit(id) > 0) return id;
    return undefined;
  }

  private worker(): Worker {
    const idle = this.idle.pop();
    if (idle) return idle;
    const w = new Worker(WORKER, { eval: true });
    w.unref();
    w.on('exit', () => this.all.delete(w));
    this.all.add(w);
    return w;
  }

  private pump(): void {
    while (!this.stopped && this.busy < this.opts.concurrency) {
      const clusterId = this.nextCluster();
      if (clusterId === undefined) break;
      this.generate(clusterId, this.targets.get(clusterId)!.algorithm);
    }
    if (this.idleNow()) for (const w of this.waiters.splice(0)) w();
  }

  private generate(clusterId: number, algorithm: KeyAlgorithm): void {
    const w = this.worker();
    this.busy++;
    this.inFlight.set(clusterId, (this.inFlight.get(clusterId) ?? 0) + 1);
    const onError = (err: Error) => finish({ ok: false, message: err.message }, false);
    const onMessage = (m: { ok: boolean; pem?: string; message?: string }) => finish(m, true);
    const finish = (m: { ok: boolean; pem?: string; message?: string }, reusable: boolean) => {
      w.off('message', onMessage);
      w.off('error', onError);
      this.busy--;
      this.inFlight.set(clusterId, this.inFlight.get(clusterId)! - 1);
      if (this.stopped) return;
      if (reusable) this.idle.push(w);
      if (!m.ok) this.opts.log?.(`key generation failed: ${m.message}`);
      else this.keep(clusterId, algorithm, m.pem!);
      this.pump();
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.postMessage(algorithm);
  }

  /** Stores a generated key if it is still needed (the target may have dropped meanwhile), else drops it. */
  private keep(clusterId: number, algorithm: KeyAlgorithm, pem: string): void {
    this.stats.generated++;
    if (this.deficit(clusterId) <= 0 || this.targets.get(clusterId)?.algorithm !== algorithm) {
      this.stats.discarded++;
      return;
    }
    const now = this.opts.now();
    try {
      this.opts.repo.add(clusterId, algorithm, pem, now, new Date(now.getTime() + this.opts.ttlMs));
      this.stats.stored++;
    } catch {
      this.stats.discarded++; // the cluster was deleted meanwhile
    }
  }
}
