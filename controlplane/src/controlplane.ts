/**
 * One controlplane replica: the metadata view (one watch of `/kafscale/`), the leader
 * election, the assignment runner (running only while this replica leads, fenced on its
 * election) and the ControlPlaneService implementation over them.
 */
import type { ServiceImpl } from '@connectrpc/connect';
import type { ControlPlaneService } from '../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import type { MetadataStore } from '../../lib/stores/metadata-store.js';
import { AssignmentRunner } from './assignment/assignment-runner.js';
import { LeaderElection } from './election/leader-election.js';
import { MetadataView } from './metadata-view/metadata-view.js';
import { controlPlaneService } from './services/controlplane-service.js';
import { TopicRegistry } from './topics/topic-registry.js';

export interface ControlplaneOptions {
  readonly replicaId: string;
  readonly metadata: MetadataStore;
  readonly clusterId: string;
  /** Partitions of a topic created with -1. */
  readonly defaultPartitions: number;
  readonly leaseTtlSeconds: number;
  /** Where this replica's gRPC service is reachable (recorded in the leader key). */
  readonly address?: string;
  /** The most partitions one topic may have (default 100,000). */
  readonly maxPartitions?: number;
  /** Quiet time after a metadata change before re-planning assignments (default 50 ms). */
  readonly assignDebounceMs?: number;
  /** Wait before a deposed replica campaigns again (default 500 ms). */
  readonly recampaignDelayMs?: number;
  readonly onError?: (error: unknown) => void;
}

export interface Controlplane {
  readonly service: ServiceImpl<typeof ControlPlaneService>;
  readonly view: MetadataView;
  readonly election: LeaderElection;
  readonly registry: TopicRegistry;
  stop(): Promise<void>;
}

export async function startControlplane(options: ControlplaneOptions): Promise<Controlplane> {
  const { metadata, onError } = options;
  const view = await MetadataView.start(metadata, { ...(onError ? { onError } : {}) });
  const registry = new TopicRegistry(metadata, {
    defaultPartitions: options.defaultPartitions,
    ...(options.maxPartitions === undefined ? {} : { maxPartitions: options.maxPartitions }),
  });
  const election = new LeaderElection(metadata, {
    replicaId: options.replicaId,
    leaseTtlSeconds: options.leaseTtlSeconds,
    ...(options.address === undefined ? {} : { address: options.address }),
    ...(options.recampaignDelayMs === undefined
      ? {}
      : { recampaignDelayMs: options.recampaignDelayMs }),
    ...(onError ? { onError } : {}),
  });

  let runner: AssignmentRunner | undefined;
  let stopping: Promise<void> = Promise.resolve();
  const stopRunner = (): void => {
    const r = runner;
    runner = undefined;
    if (r !== undefined) stopping = stopping.then(() => r.stop());
  };
  election.on((event) => {
    stopRunner();
    if (event.type !== 'elected') return;
    const r = new AssignmentRunner({
      store: metadata,
      view,
      fence: () => election.fence(),
      ...(options.assignDebounceMs === undefined ? {} : { debounceMs: options.assignDebounceMs }),
      ...(onError ? { onError } : {}),
    });
    runner = r;
    r.start();
  });
  await election.start();

  return {
    service: controlPlaneService({ registry, view, clusterId: options.clusterId }),
    view,
    election,
    registry,
    async stop() {
      stopRunner();
      await stopping;
      await election.stop();
      await view.stop();
    },
  };
}
