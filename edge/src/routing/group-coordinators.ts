/**
 * How an edge reaches the controlplane replica that coordinates a consumer group. Groups
 * are spread over shards (lib/groups/group-shard.ts) and the cluster view says which
 * replica holds each shard; the group's requests go to that replica. Which edge clients
 * are told is the coordinator is a separate choice (rendezvous hashing over the edges):
 * any edge forwards any group's requests, so the choice only spreads clients over edges.
 *
 * No holder for the group's shard is COORDINATOR_NOT_AVAILABLE; a failed call to the
 * holder (unreachable, deadline, any gRPC error) is NOT_COORDINATOR, so the client looks
 * the coordinator up again and retries.
 */
import type { Client } from '@connectrpc/connect';
import type { GroupCoordinatorService } from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { groupShardOf } from '../../../lib/groups/group-shard.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { Logger } from '../../../lib/log/logger.js';
import type { AdvertisedBroker, ClusterView, GroupShardHolder } from '../cluster-view.js';
import { rendezvousPick } from './rendezvous.js';

export type GroupCoordinatorClient = Client<typeof GroupCoordinatorService>;

/** Deadline of a coordinator call that does not wait for other members. */
export const GROUP_CALL_TIMEOUT_MS = 30_000;

export interface GroupRoute {
  readonly shard: number;
  readonly client: GroupCoordinatorClient;
}

/** One replica that holds group shards, with the shards the view says it holds. */
export interface GroupHolder {
  readonly client: GroupCoordinatorClient;
  readonly shards: readonly number[];
}

export interface GroupHolders {
  /** Every distinct holder, each once. */
  readonly holders: readonly GroupHolder[];
  /** The shard count (0 while unknown). */
  readonly shardCount: number;
  /** Shards no replica holds now. */
  readonly unheld: readonly number[];
}

export interface GroupCoordinators {
  /** The replica holding the group's shard, or undefined when none does (or the count is unknown). */
  forGroup(groupId: string): GroupRoute | undefined;
  /** Every replica holding group shards (ListGroups asks each of them). */
  holders(): GroupHolders;
}

/**
 * Routes by the cluster view's group shards; `clientFor` turns a holder into a client
 * (dialed by address in production, one in-process client in `kafscale dev` and tests).
 * It must return the same client for the same replica, since holders are told apart by
 * their client.
 */
export class ViewGroupCoordinators implements GroupCoordinators {
  constructor(
    private readonly view: ClusterView,
    private readonly clientFor: (holder: GroupShardHolder) => GroupCoordinatorClient,
  ) {}

  forGroup(groupId: string): GroupRoute | undefined {
    const count = this.view.groupShardCount();
    if (count < 1) return undefined;
    const shard = groupShardOf(groupId, count);
    const holder = this.view.groupShardHolder(shard);
    return holder === undefined ? undefined : { shard, client: this.clientFor(holder) };
  }

  holders(): GroupHolders {
    const shardCount = this.view.groupShardCount();
    const byClient = new Map<GroupCoordinatorClient, number[]>();
    const unheld: number[] = [];
    for (let shard = 0; shard < shardCount; shard++) {
      const holder = this.view.groupShardHolder(shard);
      if (holder === undefined) {
        unheld.push(shard);
        continue;
      }
      const client = this.clientFor(holder);
      const shards = byClient.get(client) ?? [];
      shards.push(shard);
      byClient.set(client, shards);
    }
    return {
      holders: [...byClient].map(([client, shards]) => ({ client, shards })),
      shardCount,
      unheld,
    };
  }
}

/**
 * The edge FindCoordinator names for a group: the rendezvous choice over the live edges,
 * or this edge when it is the only address clients use (KAFSCALE_SINGLE_ADDRESS).
 */
export function coordinatorEdge(
  cluster: ClusterView,
  groupId: string,
  singleAddress: boolean,
): AdvertisedBroker {
  if (singleAddress) return cluster.self();
  return rendezvousPick(`group/${groupId}`, cluster.edges()) ?? cluster.self();
}

export type CallOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errorCode: number };

/** Calls the coordinator of one group, turning "no holder" and failed calls into Kafka errors. */
export async function callGroupCoordinator<T>(
  coordinators: GroupCoordinators,
  groupId: string,
  log: Logger,
  call: (client: GroupCoordinatorClient) => Promise<T>,
): Promise<CallOutcome<T>> {
  const route = coordinators.forGroup(groupId);
  if (route === undefined) {
    log.debug({ groupId }, "no controlplane replica holds the group's shard");
    return { ok: false, errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE };
  }
  try {
    return { ok: true, value: await call(route.client) };
  } catch (err) {
    log.warn({ err, groupId, shard: route.shard }, 'group coordinator call failed');
    return { ok: false, errorCode: KafkaError.NOT_COORDINATOR };
  }
}

/**
 * Splits the items of a multi-group request by the replica that coordinates their group,
 * so the request costs one call per replica. Items whose shard has no holder come back
 * separately.
 */
export function splitByCoordinator<T>(
  coordinators: GroupCoordinators,
  items: readonly T[],
  groupOf: (item: T) => string,
): { byClient: Map<GroupCoordinatorClient, T[]>; unheld: T[] } {
  const byClient = new Map<GroupCoordinatorClient, T[]>();
  const unheld: T[] = [];
  for (const item of items) {
    const route = coordinators.forGroup(groupOf(item));
    if (route === undefined) {
      unheld.push(item);
      continue;
    }
    const list = byClient.get(route.client) ?? [];
    list.push(item);
    byClient.set(route.client, list);
  }
  return { byClient, unheld };
}
