/**
 * LeaderElector against an in-memory Lease that checks resourceVersions as the API server
 * does: a stopping leader hands the Lease back even when its own renewal is in flight, and
 * writes nothing after it stopped; a standby takes a handed-back Lease at its next try.
 */
import { ApiException } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KubeClients } from '../../../../lib/operator/kube/kube-clients.js';
import { LeaderElector } from '../../../../lib/operator/leader-election.js';

interface LeaseObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; leaseTransitions?: number };
}

/** One Lease, its writes refused on a stale resourceVersion; `holdWrites` parks the next write. */
class InMemoryLease {
  private lease: LeaseObject | undefined;
  private version = 0;
  private parked: (() => void) | undefined;
  holdNextWrite = false;
  /** Every write that landed: holder and duration. */
  readonly writes: string[] = [];

  readonly api = {
    read: (): Promise<LeaseObject> => {
      if (this.lease === undefined) {
        return Promise.reject(new ApiException(404, 'not found', '', {}));
      }
      return Promise.resolve(structuredClone(this.lease));
    },
    create: (o: LeaseObject): Promise<LeaseObject> => this.write(o, undefined),
    replace: (o: LeaseObject): Promise<LeaseObject> => this.write(o, o.metadata?.resourceVersion),
  };

  get holder(): string | undefined {
    return this.lease?.spec?.holderIdentity;
  }

  /** Lets the parked write go on. */
  releaseWrite(): void {
    this.parked?.();
  }

  get writeParked(): boolean {
    return this.parked !== undefined;
  }

  private async write(o: LeaseObject, expected: string | undefined): Promise<LeaseObject> {
    if (this.holdNextWrite) {
      this.holdNextWrite = false;
      await new Promise<void>((resolve) => {
        this.parked = resolve;
      });
      this.parked = undefined;
    }
    const current = this.lease?.metadata?.resourceVersion;
    if (expected !== current) throw new ApiException(409, 'conflict', '', {});
    const stored = structuredClone(o);
    stored.metadata ??= {};
    stored.metadata.resourceVersion = String(++this.version);
    this.lease = stored;
    this.writes.push(`${o.spec?.holderIdentity ?? ''}/${o.spec?.leaseDurationSeconds ?? 0}`);
    return structuredClone(this.lease);
  }
}

function elector(lease: InMemoryLease, identity: string): LeaderElector {
  const kube = { objects: lease.api } as unknown as KubeClients;
  return new LeaderElector(kube, {
    namespace: 'kafscale-system',
    name: 'kafscale-operator',
    identity,
    durationSeconds: 3,
  });
}

function started(e: LeaderElector): { leads: number } {
  const seen = { leads: 0 };
  e.start(
    () => seen.leads++,
    () => undefined,
    (err) => {
      throw err;
    },
  );
  return seen;
}

describe('LeaderElector', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands the Lease back when stopped in the middle of its own renewal, and writes nothing after', async () => {
    const lease = new InMemoryLease();
    const a = elector(lease, 'a');
    const seen = started(a);
    await vi.advanceTimersByTimeAsync(0);
    expect(a.isLeader).toBe(true);
    expect(seen.leads).toBe(1);

    lease.holdNextWrite = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(lease.writeParked).toBe(true);
    const stopping = a.stop();
    await vi.advanceTimersByTimeAsync(0);
    lease.releaseWrite();
    await stopping;

    expect(lease.holder).toBe('');
    expect(lease.writes).toEqual(['a/3', 'a/3', '/1']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lease.writes).toEqual(['a/3', 'a/3', '/1']);
    expect(a.isLeader).toBe(false);
  });

  it('hands back a Lease that the try it waited for had just taken', async () => {
    const lease = new InMemoryLease();
    lease.holdNextWrite = true;
    const a = elector(lease, 'a');
    const seen = started(a);
    await vi.advanceTimersByTimeAsync(0);
    expect(lease.writeParked).toBe(true);
    const stopping = a.stop();
    await vi.advanceTimersByTimeAsync(0);
    lease.releaseWrite();
    await stopping;
    expect(lease.writes).toEqual(['a/3', '/1']);
    expect(seen.leads).toBe(0);
  });

  it('lets a standby take a handed-back Lease at its next try, not after the lease duration', async () => {
    const lease = new InMemoryLease();
    const a = elector(lease, 'a');
    started(a);
    await vi.advanceTimersByTimeAsync(0);
    const b = elector(lease, 'b');
    const seenB = started(b);
    await vi.advanceTimersByTimeAsync(0);
    expect(b.isLeader).toBe(false);

    await a.stop();
    expect(lease.holder).toBe('');
    await vi.advanceTimersByTimeAsync(1000);
    expect(lease.holder).toBe('b');
    expect(b.isLeader).toBe(true);
    expect(seenB.leads).toBe(1);
    await b.stop();
  });

  it('writes the release again after a conflict', async () => {
    const lease = new InMemoryLease();
    const a = elector(lease, 'a');
    started(a);
    await vi.advanceTimersByTimeAsync(0);
    vi.spyOn(lease.api, 'replace').mockRejectedValueOnce(new ApiException(409, 'conflict', '', {}));
    await a.stop();
    expect(lease.holder).toBe('');
  });

  it('leaves a Lease it could not hand back to expire: a standby waits out the duration', async () => {
    const lease = new InMemoryLease();
    const a = elector(lease, 'a');
    started(a);
    await vi.advanceTimersByTimeAsync(0);
    const b = elector(lease, 'b');
    started(b);
    await vi.advanceTimersByTimeAsync(0);
    const refused = vi
      .spyOn(lease.api, 'replace')
      .mockRejectedValue(new ApiException(409, 'conflict', '', {}));
    await a.stop();
    expect(refused).toHaveBeenCalledTimes(3);
    refused.mockRestore();
    expect(lease.holder).toBe('a');
    await vi.advanceTimersByTimeAsync(2000);
    expect(lease.holder).toBe('a');
    await vi.advanceTimersByTimeAsync(2000);
    expect(lease.holder).toBe('b');
    await b.stop();
  });
});
