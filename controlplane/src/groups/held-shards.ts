/**
 * The shards a replica coordinates now, with their groups, and what every group operation
 * needs of them: routing a group id to its held shard (or the Kafka error saying why not),
 * writing under the shard's fence, and forgetting or removing groups.
 */
import { groupShardOf } from '../../../lib/groups/group-shard.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import { Group } from './group.js';
import { encodeGroupRecord } from './group-record.js';
import type { GroupWriter } from './group-writer.js';
import { writeFailureCode } from './membership.js';
import type { ShardFence } from './shard-fence.js';

export interface HeldShard {
  readonly fence: ShardFence;
  readonly groups: Map<string, Group>;
}

export type Gate = { readonly shard: HeldShard } | { readonly errorCode: number };

export class HeldShards {
  readonly held = new Map<number, HeldShard>();
  readonly loading = new Set<number>();

  constructor(
    readonly writer: GroupWriter,
    private readonly shardCount: number,
  ) {}

  /** Every held shard. */
  all(): HeldShard[] {
    return [...this.held.values()];
  }

  /** The held shard of a group, or the Kafka error for a group this replica cannot serve. */
  gate(groupId: string, allowEmptyId: boolean): Gate {
    if (!allowEmptyId && groupId === '') return { errorCode: KafkaError.INVALID_GROUP_ID };
    const shardIndex = groupShardOf(groupId, this.shardCount);
    const shard = this.held.get(shardIndex);
    if (shard !== undefined) return { shard };
    return {
      errorCode: this.loading.has(shardIndex)
        ? KafkaError.COORDINATOR_LOAD_IN_PROGRESS
        : KafkaError.NOT_COORDINATOR,
    };
  }

  /** Drops a group that has nothing left to keep (see Group.isForgettable). */
  forgetIfUnused(group: Group): void {
    const held = this.held.get(group.shard);
    if (group.isForgettable() && held?.groups.get(group.groupId) === group) {
      held.groups.delete(group.groupId);
    }
  }

  /** Writes the group's state record under its shard's fence. */
  persistGroup(group: Group): Promise<void> {
    const held = this.held.get(group.shard);
    if (held === undefined) return Promise.reject(new Error('shard not held'));
    return this.writer.write(held.fence, [
      {
        type: 'put',
        key: keys.groupState(group.shard, group.groupId),
        value: encodeGroupRecord(group.toRecord()),
      },
    ]);
  }

  /** Deletes an empty group with its offsets; it is Dead meanwhile, so nothing joins it. */
  async removeGroup(held: HeldShard, group: Group): Promise<number> {
    group.transition('Dead', Date.now());
    try {
      await this.writer.write(held.fence, [
        { type: 'deletePrefix', prefix: keys.groupPrefix(group.shard, group.groupId) },
      ]);
      if (held.groups.get(group.groupId) === group) held.groups.delete(group.groupId);
      return KafkaError.NONE;
    } catch (error) {
      group.transition('Empty', group.stateTimestamp);
      return writeFailureCode(error);
    }
  }
}
