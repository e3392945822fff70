/**
 * A lease over etcd3's Lease (automatic keep-alive every TTL/3). etcd3 reports a lease lost
 * only when etcd says it expired or after 2 x TTL without contact; the holder must assume the
 * lease gone as soon as etcd may have expired it, so a local watchdog also declares it lost
 * when no keep-alive has succeeded for a whole TTL (e.g. etcd paused or partitioned away).
 * A lease declared lost is then revoked in the background, so that etcd's view catches up
 * with the holder's (its keys go away even if etcd had not expired it yet).
 */
import type { Lease as Etcd3Lease } from 'etcd3';
import type { Lease, LeaseId } from '../metadata-store.js';
import { mapEtcdError } from './etcd-errors.js';

export class EtcdLease implements Lease {
  private readonly listeners: (() => void)[] = [];
  private lastKeepAlive = Date.now();
  private readonly watchdog: NodeJS.Timeout;
  private state: 'alive' | 'lost' | 'ended' = 'alive';

  constructor(
    readonly id: LeaseId,
    readonly ttlSeconds: number,
    private readonly inner: Etcd3Lease,
    private readonly requestTimeoutMs: number,
    private readonly forget: (lease: EtcdLease) => void,
  ) {
    inner.on('keepaliveSucceeded', () => {
      this.lastKeepAlive = Date.now();
    });
    inner.on('lost', () => {
      this.markLost();
    });
    const ttlMs = ttlSeconds * 1000;
    this.watchdog = setInterval(
      () => {
        if (Date.now() - this.lastKeepAlive > ttlMs) this.markLost();
      },
      Math.min(250, ttlMs / 4),
    );
    this.watchdog.unref();
  }

  onLost(listener: () => void): void {
    if (this.state === 'lost') {
      setImmediate(listener);
      return;
    }
    this.listeners.push(listener);
  }

  async revoke(): Promise<void> {
    if (this.state === 'ended') return;
    const wasLost = this.state === 'lost';
    this.end('ended');
    if (wasLost) return;
    try {
      await this.inner.revoke({ deadline: Date.now() + this.requestTimeoutMs });
    } catch (e) {
      throw mapEtcdError(e, 'lease revoke');
    }
  }

  /** Test hook: behave like a holder that died (stop keep-alives, do not revoke). */
  stopKeepAlive(): void {
    this.inner.release();
  }

  /** The store is closing: stop keep-alives and the watchdog, tell nobody. */
  close(): void {
    if (this.state === 'alive') this.end('ended');
  }

  private markLost(): void {
    if (this.state !== 'alive') return;
    this.end('lost');
    const listeners = this.listeners.splice(0);
    setImmediate(() => {
      for (const l of listeners) {
        try {
          l();
        } catch {
          // A listener's failure must not stop the others.
        }
      }
    });
    // Best effort: make etcd agree (its keys must not outlive the holder's belief).
    this.inner.revoke({ deadline: Date.now() + this.requestTimeoutMs }).catch(() => undefined);
  }

  private end(state: 'lost' | 'ended'): void {
    this.state = state;
    clearInterval(this.watchdog);
    this.forget(this);
    if (state === 'ended') this.inner.release();
  }
}
