/**
 * A lease of the in-process store. The holder lives in the same process as the store, so
 * keep-alive is implicit: the lease lives until revoked, until the store closes, or, for
 * tests that simulate a dead holder, until `stopKeepAlive()` lets its TTL run out.
 */
import type { Lease, LeaseId } from '../metadata-store.js';

export interface LeaseOwner {
  revokeLease(id: LeaseId): Promise<void>;
  expireLease(id: LeaseId): void;
}

export class MemoryLease implements Lease {
  private readonly listeners: (() => void)[] = [];
  private lostFired = false;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    readonly id: LeaseId,
    readonly ttlSeconds: number,
    private readonly owner: LeaseOwner,
  ) {}

  onLost(listener: () => void): void {
    if (this.lostFired) {
      setImmediate(listener);
      return;
    }
    this.listeners.push(listener);
  }

  revoke(): Promise<void> {
    return this.owner.revokeLease(this.id);
  }

  /** Simulates a holder that stopped keeping the lease alive: it expires after its TTL. */
  stopKeepAlive(): void {
    if (this.ended || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.owner.expireLease(this.id);
    }, this.ttlSeconds * 1000);
  }

  /** Called by the store when the lease ends; `lost` says whether the holder is told. */
  end(lost: boolean): void {
    if (this.ended) return;
    this.ended = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!lost) return;
    this.lostFired = true;
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
  }
}
