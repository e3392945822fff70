/**
 * Leader election among operator replicas through a coordination.k8s.io/v1 Lease, as
 * client-go's leaderelection does it: a replica takes the Lease when nobody holds it or
 * when its holder has not renewed it for a lease duration, measured on this replica's own
 * clock from when it last saw the record change (no comparison of clocks); the leader
 * renews it every third of the duration. Every write names the resourceVersion it read,
 * so of two replicas taking the Lease at once one gets a conflict. A leader that cannot
 * renew for a whole lease duration has lost it. Stopping releases the Lease, so a standby
 * takes over at its next try instead of after the duration: it first waits for a try in
 * flight (whose renewal would otherwise change the Lease under the release and make it
 * fail with a conflict), then writes the release, reading the Lease again on a conflict.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from './kube/kube-clients.js';
import { isConflict, isNotFound } from './kube/kube-errors.js';
import { asKubernetesObject } from './kube/kube-object.js';

export interface LeaseOptions {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly durationSeconds: number;
}

interface Lease extends KubernetesObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: Date | string;
    renewTime?: Date | string;
    leaseTransitions?: number;
  };
}

/**
 * A Lease time as the API server parses it (RFC 3339 with exactly six fractional digits;
 * the generic object API would send a Date with three, which the server refuses).
 */
function microTime(t: Date | string | undefined): string | undefined {
  if (t === undefined) return undefined;
  const iso = t instanceof Date ? t.toISOString() : t;
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** How often `stop` writes the release, after conflicts, before leaving the Lease to expire. */
const RELEASE_TRIES = 3;

export class LeaderElector {
  private observed = '';
  private observedAt = 0;
  private lastRenewal = 0;
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private stopped = false;
  /** The try in flight, if any: `stop` waits for it. */
  private trying: Promise<void> | undefined;

  constructor(
    private readonly kube: KubeClients,
    private readonly o: LeaseOptions,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Tries every third of the lease duration; calls `onLead` once on taking the Lease and `onLost` if it is lost. */
  start(onLead: () => void, onLost: () => void, onError: (e: unknown) => void): void {
    const period = Math.max(1000, (this.o.durationSeconds * 1000) / 3);
    const attempt = async () => {
      let held = false;
      try {
        held = await this.tryAcquireOrRenew();
      } catch (e) {
        onError(e);
      }
      if (this.stopped) return;
      const now = Date.now();
      if (held) {
        this.lastRenewal = now;
        if (!this.leading) {
          this.leading = true;
          onLead();
        }
      } else if (this.leading && now - this.lastRenewal >= this.o.durationSeconds * 1000) {
        this.leading = false;
        onLost();
        return;
      }
      this.timer = setTimeout(tick, period);
    };
    const tick = () => {
      this.trying = attempt();
    };
    tick();
  }

  /**
   * Stops trying and hands the Lease back if this replica holds it (the try it waited for
   * may just have taken it). Best effort: a release that still fails leaves the Lease to
   * expire, as a crashed leader's would.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.trying;
    this.leading = false;
    for (let tries = 0; tries < RELEASE_TRIES; tries++) {
      try {
        await this.release();
        return;
      } catch (e) {
        if (!isConflict(e)) return;
      }
    }
  }

  /** Empties the holder, with a 1-second duration, if this replica still holds the Lease. */
  private async release(): Promise<void> {
    const lease = await this.read();
    if (lease?.spec?.holderIdentity !== this.o.identity) return;
    await this.kube.objects.replace({
      ...lease,
      spec: {
        ...lease.spec,
        acquireTime: microTime(lease.spec.acquireTime),
        renewTime: microTime(lease.spec.renewTime),
        holderIdentity: '',
        leaseDurationSeconds: 1,
      },
    });
  }

  private async read(): Promise<Lease | undefined> {
    try {
      return await this.kube.objects.read<Lease>({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.o.name, namespace: this.o.namespace },
      });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = microTime(new Date());
    const lease = await this.read();
    const mine = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: this.o.durationSeconds,
      renewTime: now,
    };
    try {
      if (lease === undefined) {
        await this.kube.objects.create(
          asKubernetesObject({
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: this.o.name, namespace: this.o.namespace },
            spec: { ...mine, acquireTime: now, leaseTransitions: 0 },
          }),
        );
        return true;
      }
      const spec = lease.spec ?? {};
      const holder = spec.holderIdentity ?? '';
      if (holder !== this.o.identity && holder !== '') {
        const record = `${holder}@${microTime(spec.renewTime) ?? ''}`;
        if (record !== this.observed) {
          this.observed = record;
          this.observedAt = Date.now();
        }
        const duration = (spec.leaseDurationSeconds ?? this.o.durationSeconds) * 1000;
        if (Date.now() < this.observedAt + duration) return false;
      }
      const taking = holder !== this.o.identity;
      await this.kube.objects.replace({
        ...lease,
        spec: {
          ...spec,
          acquireTime: microTime(spec.acquireTime),
          ...mine,
          ...(taking
            ? { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }
            : {}),
        },
      });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }
}
